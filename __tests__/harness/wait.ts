import { readFileSync } from 'node:fs'

/**
 * Waiting on real processes and files, the one kind of waiting a test may do: it polls for a
 * condition with a generous limit, never for a fixed time, so a loaded machine only makes it
 * slower, not wrong.
 */

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/**
 * Polls `check` every `everyMs` until it returns something other than undefined or false, and
 * returns that; fails naming `what` after `timeoutMs`.
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | false,
  { timeoutMs = 30_000, everyMs = 50 }: { timeoutMs?: number; everyMs?: number } = {}
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > giveUpAt)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

/**
 * Whether a process runs no more: gone, or a zombie its parent has not reaped yet (an orphan's
 * last parent is init, which here reaps every few seconds, so `kill -0` alone would wait on it).
 */
export function isGone(pid: number): boolean {
  try {
    // /proc/<pid>/stat: 'pid (comm) state …'; comm may hold ') ', so take the last one.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(') ') + 2).startsWith('Z')
  } catch {
    return true
  }
}

/** Waits until the process runs no more (see isGone); fails after `timeoutMs`. */
export async function untilGone(pid: number, { timeoutMs = 30_000 } = {}): Promise<void> {
  await until(`process ${pid} to exit`, () => isGone(pid), { timeoutMs })
}
