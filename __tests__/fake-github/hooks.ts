/**
 * Callbacks run when a matching request arrives, before it is answered: they change the fake's
 * state at an exact point of a client's sequence (e.g. a runner turns busy between the list and
 * its DELETE), which timers or a second client could not do deterministically.
 */
import { matchesRequest } from './faults.js'
import type { RecordedRequest, RequestHook } from './types.js'

export class Hooks {
  private readonly hooks: Array<RequestHook & { remaining: number }> = []

  add(hook: RequestHook): void {
    this.hooks.push({ ...hook, remaining: hook.times ?? 1 })
  }

  /** Runs every matching hook with uses left, in the order they were added. */
  run(request: RecordedRequest): void {
    for (const hook of this.hooks) {
      if (hook.remaining <= 0 || !matchesRequest(hook, request.method, request.path)) continue
      hook.remaining -= 1
      hook.run(request)
    }
  }
}
