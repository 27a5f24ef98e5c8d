/**
 * The argument that marks the refresher's command line, followed by its nonce. The post step
 * signals a pid only when its /proc/<pid>/cmdline carries both: a pid reused by another process
 * after the refresher exited is never ours.
 */
export const REFRESHER_MARKER = '--mint-token-refresher'
