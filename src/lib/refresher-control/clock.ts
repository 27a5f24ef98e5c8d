import { performance } from 'node:perf_hooks'

/**
 * Time, for the refresher and for the steps that wait on it: one seam, so that tests run the
 * refresher's loop on a fake clock (hours in milliseconds) instead of waiting for tokens to age.
 * Two kinds of waiting: `sleep` is what a caller awaits (the loop until its next turn, a stop's
 * budget); `after` is a timer that runs beside other work (the watchers of the token file, the
 * runner's worker and the deadline).
 */
export interface Clock {
  /** The runner's wall clock, in ms since the epoch. */
  now: () => number
  /** The runner's monotonic clock, in ms from an arbitrary start: no clock change moves it. */
  monotonic: () => number
  /** Resolves after `ms`, or as soon as the signal aborts; never rejects. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Calls `action` once after `ms`; the function returned cancels it. */
  after: (ms: number, action: () => void) => () => void
}

/** setTimeout holds at most 2^31 - 1 ms (24.8 days); a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** The real clock: Date.now, performance.now and Node's timers. Built by each process's entry. */
export function systemClock(): Clock {
  const after = (ms: number, action: () => void) => {
    const timer = setTimeout(action, Math.min(Math.max(ms, 0), MAX_TIMER_MS))
    return () => clearTimeout(timer)
  }
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    after,
    sleep: (ms, signal) => sleepOn(after, ms, signal)
  }
}

/** A sleep made of a clock's timer: it resolves when the timer fires or the signal aborts. */
export function sleepOn(after: Clock['after'], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      cancel()
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const cancel = after(ms, done)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Calls `tick` every `ms` on the clock until the function returned is called. */
export function every(clock: Pick<Clock, 'after'>, ms: number, tick: () => void): () => void {
  let cancel = () => {}
  let stopped = false
  const schedule = () => {
    cancel = clock.after(ms, () => {
      if (stopped) return
      tick()
      if (!stopped) schedule()
    })
  }
  schedule()
  return () => {
    stopped = true
    cancel()
  }
}
