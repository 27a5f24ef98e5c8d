import type { RequestFields } from '../field.js'
import type { Undo } from '../handoff/hand-off.js'
import { withRollback, type UndoCause } from '../handoff/with-rollback.js'
import {
  createInstallationToken,
  type InstallationToken
} from '../installation/create-installation-token.js'
import { revokeInstallationToken } from '../installation/revoke-installation-token.js'
import type { CommonRequest } from '../requests.js'
import type { Deps } from '../seam/deps.js'
import { describeRequestError } from '../transport/describe-request-error.js'
import { eachAtMost } from './each-at-most.js'

/**
 * At most this many owners are minted for at once: enough that ten organizations take three
 * rounds, few enough to stay clear of GitHub's secondary rate limits on concurrent requests.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
 */
export const OWNERS_AT_ONCE = 4

/** One installation token per owner, for every repository of that owner's installation. */
export interface OwnersRequest extends Pick<CommonRequest, 'app' | 'apiUrl' | 'summary'> {
  /** Checked logins, each once, in the order the outputs keep (see parseOwners). */
  owners: string[]
  permissions?: Record<string, string>
  /** The post step's switch (the action's 'revoke'); the command line has none. */
  revoke: boolean
  /** How messages name the list ('owners', --owners) and the rest of the request. */
  fields: RequestFields
}

export interface OwnerToken {
  owner: string
  minted: InstallationToken
}

/** What the front end does with the tokens; each call runs inside the rollback. */
export interface OwnersPublisher {
  /** After each mint (its token masked), with every token so far: what a clean-up needs. */
  tokenMinted(sofar: OwnerToken[]): Promise<void>
  /** Every token, in the order of the owners. */
  tokens(minted: OwnerToken[]): Promise<void>
  /** Every token minted was revoked after a failure or a cancel (see withRollback). */
  markUndone(by: UndoCause): void
}

/**
 * Mints a token for each owner, OWNERS_AT_ONCE at a time, each masked as soon as it exists, and
 * hands them to the publisher. All or nothing: if one owner's mint fails (or the job is
 * cancelled), no new one starts, the running ones finish, every token minted is revoked, and the
 * error names the owner that failed.
 */
export async function mintForOwners(
  deps: Deps,
  request: OwnersRequest,
  publisher: OwnersPublisher
): Promise<void> {
  const undo: Undo = []
  const sofar: OwnerToken[] = []
  const mintOne = async (owner: string) => {
    const minted = await mintFor(deps, request, owner)
    deps.log.mask(minted.token)
    const github = deps.github.forCleanup()
    undo.push(() => revokeInstallationToken({ github }, request.apiUrl, minted.token))
    sofar.push({ owner, minted })
    await publisher.tokenMinted([...sofar])
  }
  const work = async () => {
    await eachAtMost(
      request.owners,
      OWNERS_AT_ONCE,
      mintOne,
      () => deps.cancellation.signal.aborted
    )
    const order = (token: OwnerToken) => request.owners.indexOf(token.owner)
    await publisher.tokens([...sofar].sort((a, b) => order(a) - order(b)))
  }
  await withRollback(deps, undo, work, publisher)
}

/** One owner's token; a failure says which owner, and that none of the tokens is kept. */
async function mintFor(
  deps: Deps,
  request: OwnersRequest,
  owner: string
): Promise<InstallationToken> {
  const { app, apiUrl, permissions, fields } = request
  try {
    return await createInstallationToken(deps, {
      app,
      apiUrl,
      permissions,
      fields,
      target: { owner }
    })
  } catch (error) {
    throw new Error(
      `${fields.owner.subject}: the token for '${owner}' could not be minted, so no token is kept (${describeRequestError(error)}).`,
      { cause: error }
    )
  }
}

/** The earliest expiry among the tokens (ISO 8601, as GitHub wrote it). */
export function earliestExpiry(tokens: OwnerToken[]): string {
  return tokens
    .map((token) => token.minted.expiresAt)
    .reduce((earliest, time) => (Date.parse(time) < Date.parse(earliest) ? time : earliest))
}
