import { readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { revokeInstallationToken } from '../../lib/installation/revoke-installation-token.js'
import { describeRequestError } from '../../lib/transport/describe-request-error.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { API_URL_FLAG } from '../args/flags.js'
import type { FlagValues } from '../args/parse-command-line.js'
import { parseCliApiUrl } from '../args/parse-credentials.js'
import { EXIT, UsageError } from '../seam/errors.js'
import type { Command, CommandContext } from './command.js'

/** `mint-token revoke`: one token, revoked now with itself (no App key needed). */
export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'Revoke an installation token now (from a file, stdin, or GH_TOKEN/GITHUB_TOKEN).',
  usage: '[--token-file PATH [--remove-file] | --token-stdin] [--api-url URL]',
  flags: [
    { name: 'token-file', type: 'string', value: 'PATH', help: 'read the token from this file' },
    { name: 'remove-file', type: 'boolean', help: 'delete --token-file after revoking' },
    { name: 'token-stdin', type: 'boolean', help: 'read the token from standard input' },
    API_URL_FLAG
  ],
  details: `Without --token-file or --token-stdin, the token is GH_TOKEN's, else GITHUB_TOKEN's.
A token that has already expired or been revoked is not an error (exit 0, a line on stderr).
Output (stdout): {"revoked": true} or {"revoked": false, "reason": "already revoked or expired"}.

Example:
  mint-token revoke --token-file ./gh-token --remove-file`,
  run: async (values, _rest, ctx) => {
    const apiUrl = parseCliApiUrl(values, ctx.io, ctx.deps)
    const token = await readToken(values, ctx)
    const outcome = await revokeInstallationToken(ctx.deps, apiUrl, token).catch(
      (error: unknown) => {
        throw new Error(`Could not revoke the token (${describeRequestError(error)}).`, {
          cause: error
        })
      }
    )
    const gone = outcome === 'already gone'
    ctx.deps.log.info(
      gone
        ? 'The token has already expired or been revoked (HTTP 401); nothing to revoke.'
        : 'Revoked the installation token.'
    )
    removeFileIfAsked(values, ctx)
    const result = gone
      ? { revoked: false, reason: 'already revoked or expired' }
      : { revoked: true }
    ctx.io.stdout.write(`${JSON.stringify(result)}\n`)
    return EXIT.ok
  }
}

/** The token, masked before anything could print it, and refused if it is not one line. */
async function readToken(values: FlagValues, { io, deps }: CommandContext): Promise<string> {
  const file = values['token-file']
  if (typeof file === 'string' && values['token-stdin'])
    throw new UsageError('Both --token-file and --token-stdin are given; give one.')
  if (values['remove-file'] && typeof file !== 'string')
    throw new UsageError(
      '--remove-file deletes the file --token-file names; give --token-file too.'
    )
  const [source, raw] =
    typeof file === 'string'
      ? ['The file named by --token-file', readTokenFile(file, io.cwd)]
      : values['token-stdin']
        ? ['--token-stdin', await io.readStdin()]
        : io.env.GH_TOKEN
          ? ['GH_TOKEN', io.env.GH_TOKEN]
          : ['GITHUB_TOKEN', io.env.GITHUB_TOKEN ?? '']
  // A file or a pipe usually ends with a line break; the token is what comes before it.
  const token = raw.replace(/\r?\n$/, '')
  if (token) deps.log.mask(token)
  if (!token && source === 'GITHUB_TOKEN')
    throw new UsageError(
      'No token to revoke. Pass --token-file PATH or --token-stdin, or set GH_TOKEN or GITHUB_TOKEN.'
    )
  if (!token) throw new UsageError(`${source} is empty; it should hold the token to revoke.`)
  if (/\s/.test(token))
    throw new UsageError(`${source} contains whitespace or a line break; pass the token alone.`)
  return token
}

function readTokenFile(path: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new UsageError(`--token-file is '${neutralize(path)}', which cannot be read (${code}).`)
  }
}

function removeFileIfAsked(values: FlagValues, { io, deps }: CommandContext): void {
  const file = values['token-file']
  if (values['remove-file'] !== true || typeof file !== 'string') return
  rmSync(resolve(io.cwd, file), { force: true })
  deps.log.info(`Deleted ${neutralize(file)}.`)
}
