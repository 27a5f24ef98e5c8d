import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * A process's arguments, or undefined when there is no such process (or it cannot be read).
 * Linux: /proc/<pid>/cmdline, NUL-separated, exact. Elsewhere (macOS): `ps -o args=`, whose
 * arguments are separated by spaces; the refresher's marker and nonce contain none.
 */
export function commandLineOf(
  pid: number,
  platform: NodeJS.Platform = process.platform
): string[] | undefined {
  try {
    if (platform === 'linux') {
      const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      return text ? text.split('\0').filter(Boolean) : undefined
    }
    const text = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })
    return text.trim() ? text.trim().split(/\s+/) : undefined
  } catch {
    return undefined
  }
}
