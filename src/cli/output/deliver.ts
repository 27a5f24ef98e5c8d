import { writeTokenFile } from '../../lib/handoff/write-token-file.js'
import { neutralize } from '../../lib/text/neutralize.js'
import { TOKEN_FILE_FIELD, type Delivery } from '../args/parse-delivery.js'
import type { Log } from '../../lib/log.js'
import type { Io } from '../seam/io.js'
import { maskToken } from './token-result.js'

/**
 * Puts a minted secret where the flags said (checked by parseDelivery before the mint): a new
 * 0600 file, stdout bare, or the result's JSON with or without it. `what` names it in the one
 * line on stderr ("token", "registration token").
 */
export function deliverSecret(
  { io, deps }: { io: Pick<Io, 'stdout'>; deps: { log: Pick<Log, 'info'> } },
  delivery: Delivery,
  secret: { value: string; what: string; expiresAt: string },
  result: Record<string, unknown>
): void {
  const expiry = `it expires at ${secret.expiresAt}`
  if (delivery.kind === 'file') {
    const spec = { kind: 'path' as const, path: delivery.path }
    const { path } = writeTokenFile(spec, secret.value, { field: TOKEN_FILE_FIELD })
    result.token_file = path
    deps.log.info(`Wrote the ${secret.what} to ${neutralize(path)} (mode 0600); ${expiry}.`)
  }
  if (delivery.kind === 'print') {
    deps.log.info(`Minted a ${secret.what} (${maskToken(secret.value)}); ${expiry}.`)
    io.stdout.write(`${secret.value}\n`)
    return
  }
  if (delivery.kind === 'json-with-token') result.token = secret.value
  io.stdout.write(`${JSON.stringify(result)}\n`)
}
