/**
 * Waits until the time `at` on the clock `now` (ms since the epoch; the refresher passes GitHub's)
 * or until the signal aborts, whichever comes first; it never throws. Long waits are cut into
 * steps of at most a minute, so that a clock changed under a sleeping process (a suspended VM)
 * is noticed within a minute.
 */
export async function sleepUntil(
  at: number,
  signal: AbortSignal,
  now: () => number = Date.now
): Promise<void> {
  while (!signal.aborted && now() < at) {
    const wait = Math.min(at - now(), 60_000)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, wait)
      signal.addEventListener('abort', done, { once: true })
    })
  }
}
