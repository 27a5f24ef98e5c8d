import { GENERATED_NAME } from '../runners/runner-name-format.js'

/**
 * Names carry their time since the generator wrote it (December 2026); a time before is not
 * one of them. A month's margin before that keeps every generated name, and turns away the
 * older `prefix-run-attempt-hex` names whose prefix ends in a six-letter word ('ci-runner-…'
 * would read as 2022), which the format alone can't tell from a time.
 */
const EARLIEST = Date.UTC(2026, 10, 1)

/**
 * The creation time (ms) that mint-token wrote into a name it generated, whatever the prefix
 * before it, or undefined for any other name. Which names a prune touches is the prefix's
 * business (see decideRunner), not this one's.
 */
export function runnerCreatedAt(name: string): number | undefined {
  const created = GENERATED_NAME.exec(name)?.[2]
  if (created === undefined) return undefined
  const ms = parseInt(created, 36) * 1000
  return ms >= EARLIEST ? ms : undefined
}
