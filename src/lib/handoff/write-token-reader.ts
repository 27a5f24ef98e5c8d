import { closeSync, constants, lstatSync, mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskedReadSh, shellQuote } from '../text/masked-read-sh.js'
import { removeTokenFile } from './remove-token-file.js'
import type { TokenFile } from './write-token-file.js'

/** The reader's command name, on PATH for the later steps of the job. */
export const TOKEN_READER = 'mint-token-read'

/**
 * The reader: a POSIX sh script (a `container:` job may have nothing else) that prints the token
 * now in the token file, which the refresher replaces, after registering it with the runner's
 * masker. It reads the file at each call and takes no argument, so no token is ever on a command
 * line. It prints the file's content exactly, with no newline (as `cat` would: `$(…)` is the
 * same either way, and a redirect gets the file's very bytes); the mask line ends in one.
 */
export function tokenReaderScript(tokenFile: string): string {
  const fail = `{ echo "${TOKEN_READER}: no token in $f (the post step deletes it at the end of the job)" >&2; exit 1; }`
  return [
    '#!/bin/sh',
    `# ${TOKEN_READER}: written by mint-token's main step, deleted by its post step.`,
    '# Prints the token from the token file, after ::add-mask:: on stderr for the runner.',
    `f=${shellQuote(tokenFile)}`,
    maskedReadSh('"$f"', fail),
    `printf '%s' "$t"`,
    ''
  ].join('\n')
}

/**
 * Writes the reader into a new private directory (0700) under RUNNER_TEMP, never the workspace,
 * as a new file of mode 0700 (O_EXCL, O_NOFOLLOW): the directory is what the job's PATH gets.
 * Its removal is on `undo` before the file is written, as every effect of the hand-off.
 */
export function writeTokenReader(
  tokenFile: string,
  runnerTemp: string | undefined,
  undo: { push(step: () => unknown): unknown }
): TokenFile & { dev: number; ino: number } {
  const dir = mkdtempSync(join(runnerTemp ?? tmpdir(), 'mint-token-bin-'))
  const reader = { path: join(dir, TOKEN_READER), createdDirs: [dir] }
  undo.push(() => removeTokenFile(reader))
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  const fd = openSync(reader.path, flags, 0o700)
  try {
    writeSync(fd, tokenReaderScript(tokenFile))
  } finally {
    closeSync(fd)
  }
  const { dev, ino } = lstatSync(reader.path)
  return { ...reader, dev, ino }
}
