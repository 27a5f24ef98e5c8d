import { filesBelow, type Job, type StepResult } from './run-action.js'

/** The JIT config and every secret inside it: each embedded file and the private RSA fields. */
export function jitConfigInnerSecrets(config: string): string[] {
  const files = JSON.parse(Buffer.from(config, 'base64').toString()) as Record<string, string>
  const rsa = JSON.parse(
    Buffer.from(files['.credentials_rsaparams']!, 'base64').toString()
  ) as Record<string, string>
  return [
    config,
    ...Object.values(files),
    ...['d', 'p', 'q', 'dp', 'dq', 'inverseQ'].map((field) => rsa[field]!)
  ]
}

/** What a step must never show: the key it was given, and every credential it handed on or was handed. */
export function secretsOf(
  step: StepResult,
  inputs: Record<string, string>,
  state: Record<string, string>
) {
  const maskable = [step.outputs.token, state.token, step.state.token].filter(
    (s): s is string => !!s
  )
  // With 'owners': each owner's token, in the 'tokens' output and state.
  for (const tokens of [step.outputs.tokens, state.tokens, step.state.tokens])
    maskable.push(...stringsIn(tokens))
  if (step.outputs['jit-config'])
    maskable.push(...jitConfigInnerSecrets(step.outputs['jit-config']))
  return { maskable, key: inputs['private-key'] }
}

/** The string values of a JSON object; none when it is not one (a test's forged state). */
function stringsIn(json: string | undefined): string[] {
  try {
    const values = Object.values(JSON.parse(json ?? '{}') as Record<string, unknown>)
    return values.filter((value): value is string => typeof value === 'string' && value !== '')
  } catch {
    return []
  }
}

/** A run of this many characters of a secret counts as the secret (see fragmentsOf). */
const FRAGMENT = 32

/**
 * What to look for so that part of a secret counts too. The runner masks whole values only, and a
 * log line capped at a few hundred characters (see neutralize) would show most of a stateless
 * installation token (~520 characters) unmasked. Windows of FRAGMENT characters every
 * FRAGMENT / 2 find any 48 characters of it, whatever its length or alphabet; a short secret is
 * looked for whole.
 */
export function fragmentsOf(secret: string): string[] {
  if (secret.length <= FRAGMENT) return [secret]
  const fragments: string[] = []
  for (let at = 0; at + FRAGMENT < secret.length; at += FRAGMENT / 2)
    fragments.push(secret.slice(at, at + FRAGMENT))
  fragments.push(secret.slice(-FRAGMENT))
  return fragments
}

/**
 * The stdout lines the runner shows: an ::add-mask:: line is a command, not shown, unless
 * `::stop-commands::TOKEN` turned commands off (until `::TOKEN::`); then it is shown as is, and
 * the secret in it is printed in clear.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands
 */
export function shownLines(stdout: string): string[] {
  return runnerView(stdout.split('\n'))
}

/**
 * The runner emulated: what it shows of a step's output lines, given in the order they came
 * (stdout and stderr alike: the runner reads workflow commands on both). Each ::add-mask:: line
 * registers its value in `masks`, which the runner keeps for the rest of the job, and is not
 * shown; every shown line has each registered value replaced by ***. Without `masks`, nothing is
 * masked (what a step printed, as shownLines needs). Commands stop as shownLines says.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#masking-a-value-in-a-log
 */
export function runnerView(lines: string[], masks?: Set<string>): string[] {
  const shown: string[] = []
  const show = (line: string) => {
    const values = [...(masks ?? [])].sort((a, b) => b.length - a.length)
    shown.push(values.reduce((text, value) => text.split(value).join('***'), line))
  }
  let resume: string | undefined
  for (const line of lines) {
    if (resume !== undefined) {
      if (line === `::${resume}::`) resume = undefined
      else show(line)
      continue
    }
    const stop = /^::stop-commands::(.*)$/.exec(line)
    const mask = /^\s*::add-mask::(.*)$/.exec(line)
    if (stop) resume = stop[1]
    else if (!mask) show(line)
    else if (mask[1]!.trim() !== '') masks?.add(mask[1]!)
  }
  return shown
}

/** The step's plain log lines: no workflow commands. */
export function logLines(step: StepResult): string[] {
  return step.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('::'))
}

/**
 * The lines of a private key that count as the key: its body lines (split at real or escaped
 * newlines, trimmed), at least 16 characters long, not the '-----' armour lines.
 */
export function keyLinesOf(key: string): string[] {
  return key
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'))
}

/**
 * Fails if a secret, or part of one (see fragmentsOf), shows anywhere a person or another step
 * could read it: stdout other than its ::add-mask:: command (see shownLines), stderr, the job
 * summary, any file in the workspace. A private key counts line by line, and its lines may never
 * appear at all.
 */
export function assertNoLeaks(
  job: Job,
  steps: StepResult[],
  secrets: { maskable?: string[]; key?: string }
) {
  const keyLines = keyLinesOf(secrets.key ?? '')
  const maskable = (secrets.maskable ?? []).filter((secret) => secret !== '')
  const problems: string[] = []
  for (const step of steps) {
    // An ::add-mask:: line is consumed by the runner, never shown: it is how a key gets masked.
    const shownStdout = step.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
    for (const line of keyLines) {
      if (shownStdout.includes(line) || step.stderr.includes(line) || step.summary.includes(line)) {
        problems.push('a line of the private key reached the log or summary')
      }
      if (Object.values(step.state).some((value) => value.includes(line)))
        problems.push('the key reached state')
    }
    const printed = shownLines(step.stdout)
    for (const secret of maskable) {
      const masked = step.stdout.indexOf(`::add-mask::${secret}`)
      const fragments = fragmentsOf(secret)
      const shows = (text: string) => fragments.some((fragment) => text.includes(fragment))
      const seen = printed.filter(shows)
      if (seen.length > 0) problems.push(`a secret was printed: ${seen.length} line(s)`)
      if (masked === -1 && step.stdout.includes(secret))
        problems.push('a secret was printed without ::add-mask::')
      if (shows(step.stderr)) problems.push('a secret reached stderr')
      if (shows(step.summary)) problems.push('a secret reached the job summary')
    }
  }
  for (const file of filesBelow(job.workspace)) {
    for (const fragment of [...maskable.flatMap(fragmentsOf), ...keyLines]) {
      if (file.content.includes(fragment)) problems.push(`a secret was written to ${file.path}`)
    }
  }
  if (problems.length > 0) throw new Error(`Secret leak: ${[...new Set(problems)].join('; ')}`)
}
