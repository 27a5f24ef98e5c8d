import { readFileSync } from 'node:fs'

/**
 * Whether a process exists: signal 0 checks without sending anything (EPERM: it exists, as
 * another user's). On Linux a zombie, which has exited but was not reaped yet, counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  try {
    // /proc/<pid>/stat is "pid (comm) S …": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
