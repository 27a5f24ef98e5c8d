import type { BrokerSource, TokenFormat } from '../requests.js'

/**
 * What the main step hands the token refresher, as one JSON document on its stdin. The private
 * key travels only this way: an inherited pipe, never a file, argv or an environment variable.
 * Times are ISO 8601 strings, as GitHub writes `expires_at`.
 */
export interface RefresherConfig {
  apiUrl: string
  /** The numeric App ID or the Client ID: GitHub accepts either as the JWT issuer. */
  appId?: string
  /** The App's private key, PEM (PKCS#1 or PKCS#8); absent when `broker` mints. */
  privateKey?: string
  /** Instead of the key: the broker to ask again, with the runner's OIDC token service. */
  broker?: BrokerSource & { idTokenService: { url: string; token: string } }
  installationId: number
  /** Repository names, as the first token was minted with; undefined: all the installation has. */
  repositories?: string[]
  permissions?: Record<string, string>
  /** The format the first token was asked in; each refresh asks for it again. Undefined: GitHub's. */
  tokenFormat?: TokenFormat
  /** Absolute path of the token file, replaced by a rename at each refresh. */
  tokenFile: string
  /** The current token's expiry and when it was minted, both on GitHub's clock. */
  expiresAt: string
  mintedAt: string
  /**
   * GitHub's clock minus the runner's, in ms, as the main step learned it from GitHub's replies:
   * the refresher schedules in GitHub's time from its start, and keeps learning.
   */
  clockOffsetMs: number
  /** Absolute path of the status file (mode 0600), outside any directory mounted into a container. */
  statusFile: string
  /**
   * The runner's worker, found among the main step's ancestors before it minted: when it is gone,
   * the job is over. Absent when the step has none in sight (a `container:` job, whose steps the
   * runner starts with `docker exec`): the refresher then stops on the post step's SIGTERM or at
   * the deadline, and the runner's orphan clean-up (RUNNER_TRACKING_ID) is the backstop.
   */
  workerPid?: number
  /** The refresher exits by this time at the latest. */
  deadline: string
}
