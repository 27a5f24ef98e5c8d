/**
 * The refresher's stop, in one place, so that its parts add up: the post step sends SIGTERM and
 * waits STOP_TIMEOUT_MS before SIGKILL, and everything the refresher does after SIGTERM fits in
 * that wait with room to spare. A SIGKILL in the middle would leave a token valid with no holder.
 */

/**
 * A refresh's mint, all its requests included (JWT, auth-app's skew retry): its attempt timeout
 * and its budget. GitHub answers a mint in well under a second; bounding it is what lets the
 * shutdown wait for a mint under way to the end, so that no minted token goes unrevoked.
 */
export const MINT_ATTEMPT_MS = 5_000

/** After SIGTERM: how long to wait for a mint under way (it settles within MINT_ATTEMPT_MS). */
export const LATE_MINT_WAIT_MS = MINT_ATTEMPT_MS + 500

/** Then: how long the revocations may take, in parallel (each bounded by STOPPING_HTTP). */
export const SHUTDOWN_REVOKE_MS = 2_500

/** The post step's wait for the refresher to exit before SIGKILL: 10 s, 2 s more than it needs. */
export const STOP_TIMEOUT_MS = LATE_MINT_WAIT_MS + SHUTDOWN_REVOKE_MS + 2_000
