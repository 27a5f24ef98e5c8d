/**
 * The parts after the prefix of a generated name (see generatedRunnerName in
 * src/runners/generate-jit-config.ts): base36 unix seconds, run id, run attempt, 6 hex.
 */
const GENERATED = /^(.+)-([0-9a-z]{6,7})-(\d+|local)-(\d+)-[0-9a-f]{6}$/

/** GitHub's limit on runner names: generated names shorten a long prefix to fit it. */
const MAX_NAME_LENGTH = 64

/** Nothing was generated before this; a smaller value is another name that looks alike. */
const EARLIEST = Date.UTC(2020, 0, 1)

/**
 * The creation time (ms) that mint-token wrote into a name it generated with this prefix, or
 * undefined for any other name. The prefix must be the whole part before the time, so an older
 * `prefix-run-attempt-hex` name (or a prefix with a six-letter word in it) is not misread as a
 * time; a 64-character name may carry the prefix shortened, as the generator does.
 */
export function runnerCreatedAt(name: string, prefix: string): number | undefined {
  const match = GENERATED.exec(name)
  if (!match) return undefined
  const [, namePrefix = '', created = ''] = match
  const own =
    namePrefix === prefix || (name.length === MAX_NAME_LENGTH && prefix.startsWith(namePrefix))
  const ms = parseInt(created, 36) * 1000
  return own && ms >= EARLIEST ? ms : undefined
}
