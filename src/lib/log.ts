/**
 * How the library reports and masks: each front end brings its own (the action adapts
 * @actions/core, the refresher keeps lines for its status file, the command line writes to stderr).
 * Messages may carry foreign text only after neutralize(); a secret is masked before any line that
 * could carry it is written.
 */
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Hide this value from every later line (the runner's ::add-mask::, or the front end's own). */
  mask(secret: string): void
}
