import { spawn } from 'node:child_process'
import { constants } from 'node:os'

type Forwarded = 'SIGINT' | 'SIGTERM'

/**
 * The signals the CLI forwards to its child, trapped from before the mint: Node's default for
 * both is to die at once, which would leave the token valid. A signal that comes before the
 * child exists is remembered (`received`): exec then revokes and does not start the child.
 */
export interface SignalTrap {
  received?: Forwarded
  forwardTo(child: { kill(signal: Forwarded): unknown }): void
  release(): void
}

export function trapSignals(): SignalTrap {
  let target: { kill(signal: Forwarded): unknown } | undefined
  const trap: SignalTrap = {
    forwardTo: (child) => void (target = child),
    release: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
  function onSignal(signal: Forwarded) {
    trap.received ??= signal
    target?.kill(signal)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return trap
}

/** The key stays with mint-token: the command gets its credential, not what mints more. */
const KEY_VARIABLES = ['GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY_PEM']

/** The child's environment: ours without the key, and the secret in each of `variables`. */
export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
  variables: string[],
  secret: string
): Record<string, string | undefined> {
  const child: Record<string, string | undefined> = { ...env }
  for (const name of KEY_VARIABLES) delete child[name]
  for (const name of variables) child[name] = secret
  return child
}

/** 128 + the signal's number, as a shell reports a child killed by it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Runs the command with the terminal's stdin, stdout and stderr, and resolves to its exit code
 * (128 + signal when killed; 127 when it cannot be found, 126 when it cannot be run, as a shell
 * says). It never rejects: whatever happens, exec revokes afterwards.
 */
export function runChild(
  argv: string[],
  env: Record<string, string | undefined>,
  trap: SignalTrap,
  onError: (message: string) => void
): Promise<number> {
  return new Promise((resolve) => {
    const [command, ...args] = argv
    const child = spawn(command!, args, { stdio: 'inherit', env })
    trap.forwardTo(child)
    child.on('error', (error: NodeJS.ErrnoException) => {
      onError(`Could not run ${command!.slice(0, 200)}: ${error.code ?? error.message}.`)
      resolve(error.code === 'ENOENT' ? 127 : 126)
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? signalExitCode(signal) : 1)))
  })
}
