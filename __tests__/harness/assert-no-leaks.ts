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
  if (step.outputs['jit-config'])
    maskable.push(...jitConfigInnerSecrets(step.outputs['jit-config']))
  return { maskable, key: inputs['private-key'] }
}

/**
 * Fails if a secret shows anywhere a person or another step could read it: stdout before its
 * ::add-mask::, stderr, the job summary, any file in the workspace. A private key counts line by
 * line, and its lines may never appear at all.
 */
export function assertNoLeaks(
  job: Job,
  steps: StepResult[],
  secrets: { maskable?: string[]; key?: string }
) {
  const keyLines = (secrets.key ?? '')
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'))
  const maskable = (secrets.maskable ?? []).filter((secret) => secret !== '')
  const problems: string[] = []
  for (const step of steps) {
    for (const line of keyLines) {
      if (step.stdout.includes(line) || step.stderr.includes(line) || step.summary.includes(line)) {
        problems.push('a line of the private key reached the log or summary')
      }
      if (Object.values(step.state).some((value) => value.includes(line)))
        problems.push('the key reached state')
    }
    for (const secret of maskable) {
      const masked = step.stdout.indexOf(`::add-mask::${secret}`)
      const seen = step.stdout
        .split('\n')
        .filter((l) => l.includes(secret) && !l.startsWith('::add-mask::'))
      if (seen.length > 0) problems.push(`a secret was printed: ${seen.length} line(s)`)
      if (masked === -1 && step.stdout.includes(secret))
        problems.push('a secret was printed without ::add-mask::')
      if (step.stderr.includes(secret)) problems.push('a secret reached stderr')
      if (step.summary.includes(secret)) problems.push('a secret reached the job summary')
    }
  }
  for (const file of filesBelow(job.workspace)) {
    for (const secret of [...maskable, ...keyLines]) {
      if (file.content.includes(secret)) problems.push(`a secret was written to ${file.path}`)
    }
  }
  if (problems.length > 0) throw new Error(`Secret leak: ${[...new Set(problems)].join('; ')}`)
}
