import { sleepOn, type Clock } from '../../src/lib/refresher-control/clock.js'

/**
 * A Clock that moves only when the test says so: hours pass in milliseconds, and what happens
 * when is decided by the schedule, not by how busy the machine is. Timers fire in time order
 * (then in the order they were set). `sleepers` counts the waits someone is awaiting (`sleep`),
 * as opposed to the watchers' timers (`after`): a refresher whose loop sleeps has nothing to do
 * until the clock moves.
 */
export interface FakeClock extends Clock {
  /** How many `sleep` calls are waiting. */
  sleepers(): number
  /** The time of the earliest timer, or undefined when none is set. */
  nextAt(): number | undefined
  /** Moves the clock to the earliest timer and fires it (and any others set for that time). */
  fireNext(): void
}

interface Timer {
  at: number
  seq: number
  fire: () => void
  sleeper: boolean
}

export function fakeClock(start = Date.parse('2026-06-01T12:00:00Z')): FakeClock {
  let now = start
  let seq = 0
  let timers: Timer[] = []
  const add = (ms: number, fire: () => void, sleeper: boolean) => {
    const timer = { at: now + Math.max(ms, 0), seq: seq++, fire, sleeper }
    timers.push(timer)
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
    return () => void (timers = timers.filter((t) => t !== timer))
  }
  return {
    now: () => now,
    monotonic: () => now - start,
    after: (ms, action) => add(ms, action, false),
    sleep: (ms, signal) => sleepOn((at, fire) => add(at, fire, true), ms, signal),
    sleepers: () => timers.filter((t) => t.sleeper).length,
    nextAt: () => timers[0]?.at,
    fireNext() {
      const first = timers[0]
      if (!first) return
      now = Math.max(now, first.at)
      const due = timers.filter((t) => t.at <= now)
      timers = timers.filter((t) => t.at > now)
      for (const timer of due) timer.fire()
    }
  }
}
