/**
 * The format of the runner names mint-token generates, in one place for the generator
 * (generatedRunnerName), the inputs that take a prefix, and prune-runners, which reads the time
 * back: PREFIX-CREATED-RUN_ID-RUN_ATTEMPT-RANDOM, e.g. 'mint-token-toysk0-4242-1-a1b2c3'.
 */

/** GitHub's limit on runner names. */
export const MAX_RUNNER_NAME_LENGTH = 64

/**
 * The longest 'runner-name-prefix': 64 minus the longest suffix the generator writes, '-' and
 * 7 base36 digits of unix seconds (6 until 2038), a run id of up to 13 digits (GitHub's are 11
 * today), a run attempt of up to 2, and '-' + 6 hex. The prefix is never shortened to fit: a
 * shortened one would be the prefix of another fleet's names, which prune-runners must not touch.
 */
export const MAX_PREFIX_LENGTH = MAX_RUNNER_NAME_LENGTH - '-1234567-1234567890123-12-a1b2c3'.length

/**
 * The parts after the prefix: base36 unix seconds, run id (or 'local'), run attempt, 6 hex. The
 * prefix is whatever comes before, so a name generated under a longer prefix than the one a
 * prune is given ('mint-token-gpu-…' under 'mint-token') still tells its age.
 */
export const GENERATED_NAME = /^(.+)-([0-9a-z]{6,7})-(\d+|local)-(\d+)-[0-9a-f]{6}$/
