/** One POSIX shell word: inside single quotes nothing is special but the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/**
 * POSIX sh that reads the one-line token in `file` (a shell word) into `$t` and registers it with
 * the runner's masker before anything can print it: `::add-mask::<token>` on stderr, which the
 * runner reads for workflow commands as it reads stdout. A refreshed token is a secret the runner
 * has never seen, so whoever hands one on must do this first. `read` and `printf` are builtins of
 * sh (dash, bash, busybox ash), so the token is never an argument of a process; the file is read
 * once, so the token masked is the token handed on. `otherwise` runs (and must leave) when the
 * file holds no token. Tracing is turned off first: a bash sh started with SHELLOPTS=xtrace in
 * its environment would print the printf line, token and all, before the mask is registered.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#masking-a-value-in-a-log
 */
export function maskedReadSh(file: string, otherwise: string): string {
  // `read` fails at a last line without a newline (the token file has none) but still sets $t.
  return `set +x; t=; IFS= read -r t < ${file} || test -n "$t" || ${otherwise}; printf '::add-mask::%s\\n' "$t" >&2`
}
