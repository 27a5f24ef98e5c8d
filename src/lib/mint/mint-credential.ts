import { checkHandoff } from '../handoff/check-handoff.js'
import { handOff, type HandedOff, type HandoffRequest, type Undo } from '../handoff/hand-off.js'
import { serverUrlFor } from '../handoff/server-url.js'
import { withRollback, type UndoCause } from '../handoff/with-rollback.js'
import {
  appOf,
  createInstallationToken,
  type InstallationToken
} from '../installation/create-installation-token.js'
import {
  brokerInstallationToken,
  brokerJitRunner,
  brokerRegistrationToken,
  brokerRemoveRunner
} from '../broker-client/broker-client.js'
import { fetchBotIdentity, type BotIdentity } from '../installation/fetch-bot-identity.js'
import { fetchRateLimit, type RateLimits } from '../installation/fetch-rate-limit.js'
import { revokeInstallationToken } from '../installation/revoke-installation-token.js'
import type {
  InstallationRequest,
  MintRequest,
  RunnerJitRequest,
  RunnerRegistrationRequest,
  RunnerScope
} from '../requests.js'
import { createJitRunner, type JitRunner } from '../runners/create-jit-runner.js'
import {
  mintRegistrationToken,
  type RegistrationToken
} from '../runners/create-registration-token.js'
import { removeJitRunner } from '../runners/remove-jit-runner.js'
import type { Deps } from '../seam/deps.js'

/** What an installation token's mint learned or set up besides the token itself. */
export interface TokenExtras {
  handedOff: HandedOff
  bot?: BotIdentity
  rateLimit?: RateLimits
}

/**
 * What the front end does with each credential: the action sets outputs, state and the summary;
 * the command line prints. Each runs inside the rollback, so a failure in it undoes the mint.
 */
export interface Publisher {
  /** As soon as the token exists, before the hand-off: what a later clean-up needs to revoke it. */
  tokenMinted(request: InstallationRequest, minted: InstallationToken): Promise<void>
  token(request: InstallationRequest, minted: InstallationToken, extras: TokenExtras): Promise<void>
  registrationToken(
    request: RunnerRegistrationRequest,
    minted: RegistrationToken,
    handedOff: HandedOff
  ): Promise<void>
  /** As soon as the runner is registered, before its configuration reaches anyone. */
  runnerRegistered(request: RunnerJitRequest, jit: JitRunner): Promise<void>
  jitConfig(request: RunnerJitRequest, jit: JitRunner, handedOff: HandedOff): Promise<void>
  /** Everything minted was undone after a failure or a cancel (see withRollback). */
  markUndone(by: UndoCause): void
}

/**
 * Mints the credential the request asks for, masks it, hands it off and publishes it, in that
 * order. If anything fails after the mint, or the work is cancelled, what was minted is revoked
 * (or removed) and what was handed off is undone: nothing is left behind.
 */
export async function mintCredential(
  deps: Deps,
  asked: MintRequest,
  publisher: Publisher
): Promise<void> {
  // A token file that could not be written, or git that could not be configured, must not cost
  // a credential: checked before any request.
  checkHandoff(deps, asked)
  switch (asked.tokenType) {
    case 'installation':
      return mintInstallationToken(deps, asked, publisher)
    case 'runner-registration':
      return mintRegistration(deps, asked, publisher)
    case 'runner-jit':
      return registerJitRunner(deps, asked, publisher)
  }
}

/** A broker's reply completes the request (where the runner lives) from then on. */
async function mintRegistration(
  deps: Deps,
  asked: RunnerRegistrationRequest,
  publisher: Publisher
): Promise<void> {
  let request = asked
  let minted: RegistrationToken
  if (asked.broker) {
    const reply = await brokerRegistrationToken(deps, { ...asked, broker: asked.broker })
    minted = reply
    request = { ...asked, ...runnerHomeOf(reply.url, asked) }
  } else minted = await mintRegistrationToken(deps, asked)
  deps.log.mask(minted.token)
  const handoff = { inputs: request.handoff, secret: minted.token, apiUrl: request.apiUrl }
  // A registration token can't be revoked: undoing is removing what was set up.
  return withRollback(
    deps,
    [],
    async (undo) =>
      publisher.registrationToken(request, minted, await handOff(deps, handoff, undo)),
    publisher
  )
}

async function registerJitRunner(
  deps: Deps,
  asked: RunnerJitRequest,
  publisher: Publisher
): Promise<void> {
  const broker = asked.broker
  const { jit, request } = broker
    ? await registeredByBroker(deps, { ...asked, broker }, publisher)
    : {
        jit: await createJitRunner(deps, asked, (registered) =>
          publisher.runnerRegistered(asked, registered)
        ),
        request: asked
      }
  const handoff = { inputs: request.handoff, secret: jit.encodedJitConfig, apiUrl: request.apiUrl }
  const undo: Undo = [
    () =>
      broker
        ? brokerRemoveRunner(deps, broker, jit.runner.id)
        : removeJitRunner(deps, request, jit.runner)
  ]
  return withRollback(
    deps,
    undo,
    async () => publisher.jitConfig(request, jit, await handOff(deps, handoff, undo)),
    publisher
  )
}

async function mintInstallationToken(
  deps: Deps,
  given: InstallationRequest,
  publisher: Publisher
): Promise<void> {
  let request = given
  // What tells the refresher that the job is over, decided before minting: nothing can go wrong
  // with it after a token exists.
  const workerPid = request.handoff.refresh ? deps.findRunnerWorker() : undefined
  const fromBroker = request.broker
    ? await brokerInstallationToken(deps, { ...request, broker: request.broker })
    : undefined
  const minted = fromBroker ?? (await createInstallationToken(deps, request))
  deps.log.mask(minted.token)
  // The broker's policy names the owner: from its reply on, the request says whose token it is.
  if (fromBroker?.owner)
    request = { ...request, target: { ...request.target, owner: fromBroker.owner } }
  const { apiUrl, handoff } = request
  const undo: Undo = [
    () => revokeInstallationToken({ github: deps.github.forCleanup() }, apiUrl, minted.token)
  ]
  const work = async () => {
    await publisher.tokenMinted(request, minted)
    const bot = handoff.botIdentity
      ? await fetchBotIdentity(deps, {
          apiUrl,
          serverUrl: serverUrlFor(deps.run, apiUrl),
          app: request.app,
          token: minted.token,
          appSlug: minted.appSlug
        })
      : undefined
    const rateLimit = handoff.rateLimit
      ? await fetchRateLimit(deps.github.asToken(apiUrl, minted.token), deps.log)
      : undefined
    const refresh = handoff.refresh
      ? { ...refreshRequest(deps, request, minted), workerPid }
      : undefined
    const handoffRequest: HandoffRequest = {
      inputs: handoff,
      secret: minted.token,
      apiUrl,
      refresh
    }
    const handedOff = await handOff(deps, handoffRequest, undo)
    await publisher.token(request, minted, { handedOff, bot, rateLimit })
  }
  await withRollback(deps, undo, work, publisher)
}

/** What the refresher needs to mint the same token again: same installation, scope, format and key. */
function refreshRequest(deps: Deps, request: InstallationRequest, minted: InstallationToken) {
  return {
    apiUrl: request.apiUrl,
    ...refresherCredentials(request),
    installationId: minted.installationId,
    repositories: request.target.repositories,
    permissions: request.permissions,
    tokenFormat: request.tokenFormat,
    expiresAt: minted.expiresAt,
    // GitHub's time, as expires_at is: the refresher takes the token's lifetime from the two.
    mintedAt: new Date(deps.github.clock.now()).toISOString()
  }
}

/**
 * How the refresher mints again: with the App's key, or by asking the broker with a fresh OIDC
 * token of the job from the runner's token service (the front end said where it is).
 */
function refresherCredentials(request: InstallationRequest) {
  const { broker } = request
  if (broker) {
    if (!broker.idTokenService)
      throw new Error(
        "mint-token: a broker's token can't be refreshed without the job's OIDC token service."
      )
    return { broker: { ...broker, idTokenService: broker.idTokenService } }
  }
  const app = appOf(request)
  // Refused with the inputs already (see the front ends): a JWT signed elsewhere can't be renewed.
  if (!('privateKey' in app))
    throw new Error("mint-token: a token minted with a caller's App JWT can't be refreshed.")
  return {
    appId: app.appId,
    privateKey: app.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  }
}

/**
 * A JIT runner registered by the broker, told to the publisher at once as createJitRunner does;
 * if that fails, the broker removes it again.
 */
async function registeredByBroker(
  deps: Deps,
  asked: RunnerJitRequest & { broker: NonNullable<RunnerJitRequest['broker']> },
  publisher: Publisher
): Promise<{ jit: JitRunner; request: RunnerJitRequest }> {
  const { url, ...jit } = await brokerJitRunner(deps, asked)
  const request = { ...asked, ...runnerHomeOf(url, asked) }
  try {
    await publisher.runnerRegistered(request, jit)
  } catch (error) {
    await brokerRemoveRunner(deps, asked.broker, jit.runner.id).catch(() => {})
    throw error
  }
  return { jit, request }
}

/**
 * Where the broker's grant registered the runner, from the runner URL it answered with
 * (SERVER/ORG or SERVER/OWNER/REPO): the request's scope and runner URL from then on.
 */
function runnerHomeOf(url: string, request: { apiUrl: string; scope: RunnerScope }) {
  const server = serverUrlFor({ serverUrl: '', apiUrl: '' }, request.apiUrl)
  const path = url.startsWith(`${server}/`) ? url.slice(server.length + 1).split('/') : []
  const scope: RunnerScope =
    path.length === 2
      ? { kind: 'repo', owner: path[0]!, repo: path[1]! }
      : path.length === 1
        ? { kind: 'org', org: path[0]! }
        : request.scope
  return { scope, runnerUrl: url }
}
