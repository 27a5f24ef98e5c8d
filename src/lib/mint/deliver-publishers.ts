import type { InstallationToken } from '../installation/create-installation-token.js'
import type { Publisher, TokenExtras } from './mint-credential.js'
import type {
  InstallationRequest,
  RunnerJitRequest,
  RunnerRegistrationRequest
} from '../requests.js'
import type { JitRunner } from '../runners/create-jit-runner.js'
import type { RegistrationToken } from '../runners/create-registration-token.js'

/**
 * Publishers for front ends that only deliver what was minted (the command line, the broker).
 * For an installation token: `deliver` runs inside the library's rollback, so a token whose
 * delivery failed (a file that could not be written, an audit row that could not be stored) is
 * revoked. There is no post step to prepare for (tokenMinted) or tell (markUndone): the
 * rollback's own log line says what was undone.
 */
export function installationPublisher(
  deliver: (request: InstallationRequest, minted: InstallationToken, extras: TokenExtras) => unknown
): Publisher {
  const notAsked = () =>
    Promise.reject(new Error('mint-token: this front end mints installation tokens only.'))
  return {
    tokenMinted: async () => {},
    token: async (request, minted, extras) => {
      await deliver(request, minted, extras)
    },
    registrationToken: notAsked,
    runnerRegistered: notAsked,
    jitConfig: notAsked,
    markUndone: () => {}
  }
}

/** A Publisher that only delivers (the command line, the broker) for a registration token (see installationPublisher). */
export function registrationPublisher(
  deliver: (request: RunnerRegistrationRequest, minted: RegistrationToken) => unknown
): Publisher {
  const notAsked = () =>
    Promise.reject(new Error('mint-token: this front end mints registration tokens only.'))
  return {
    tokenMinted: notAsked,
    token: notAsked,
    registrationToken: async (request, minted) => {
      await deliver(request, minted)
    },
    runnerRegistered: notAsked,
    jitConfig: notAsked,
    markUndone: () => {}
  }
}

/**
 * A Publisher that only delivers (the command line, the broker) for a just-in-time runner: `registered` runs as soon as GitHub
 * answers (mask every secret in the configuration there), `deliver` inside the rollback, so a
 * runner whose configuration could not be delivered is removed again.
 */
export function jitPublisher(
  registered: (jit: JitRunner) => void,
  deliver: (request: RunnerJitRequest, jit: JitRunner) => unknown
): Publisher {
  const notAsked = () =>
    Promise.reject(new Error('mint-token: this front end registers just-in-time runners only.'))
  return {
    tokenMinted: notAsked,
    token: notAsked,
    registrationToken: notAsked,
    runnerRegistered: (_request, jit) => Promise.resolve(registered(jit)),
    jitConfig: async (request, jit) => {
      await deliver(request, jit)
    },
    markUndone: () => {}
  }
}
