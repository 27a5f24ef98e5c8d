import type { Log } from '../../lib/log.js'
import type { Io } from './io.js'

/** The library's Log for a terminal or a pipe: lines on stderr, never on stdout (the result's). */
export interface CliLog extends Log {
  error(message: string): void
}

/**
 * Every line goes to stderr with each masked value replaced by `***`, longest first so that a
 * secret containing another is hidden whole: what the runner's masking does for the action,
 * done here because no runner reads these lines. Debug lines only with MINT_TOKEN_DEBUG set.
 */
export function cliLog(io: Pick<Io, 'stderr' | 'env'>): CliLog {
  const masks = new Set<string>()
  const write = (prefix: string, message: string) => {
    const values = [...masks].sort((a, b) => b.length - a.length)
    const text = values.reduce((line, value) => line.split(value).join('***'), message)
    io.stderr.write(`${prefix}${text}\n`)
  }
  return {
    info: (message) => write('', message),
    warning: (message) => write('warning: ', message),
    error: (message) => write('error: ', message),
    debug: (message) => {
      if (io.env.MINT_TOKEN_DEBUG) write('debug: ', message)
    },
    mask: (secret) => {
      if (secret.trim() !== '') masks.add(secret)
    }
  }
}
