/**
 * What the refresher's environment keeps of the main step's: enough to find node's tools, to
 * reach GitHub through the runner's proxy and trust its certificates, and nothing else. The main
 * step's environment holds the private key (INPUT_PRIVATE-KEY) and the paths of the runner's
 * file commands (GITHUB_ENV, GITHUB_OUTPUT, …); a process living on after the step must have
 * neither. Nor NODE_OPTIONS: a later step can set it for the job (GITHUB_ENV), and
 * `--inspect` in it would open an inspector on the key.
 */
const KEPT = [
  'PATH',
  'HOME',
  'https_proxy',
  'HTTPS_PROXY',
  'http_proxy',
  'HTTP_PROXY',
  'no_proxy',
  'NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'RUNNER_TEMP',
  // The runner's "Cleaning up orphan processes" at the end of a job kills every process whose
  // environment holds the job's tracking ID: a backstop should the post step never run.
  // https://github.com/actions/runner/blob/main/src/Runner.Worker/JobExtension.cs
  'RUNNER_TRACKING_ID'
]

export function refresherEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT) {
    const value = env[name]
    if (value !== undefined) kept[name] = value
  }
  return kept
}
