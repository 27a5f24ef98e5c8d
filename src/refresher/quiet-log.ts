import type { Log } from '../lib/log.js'
import { neutralize } from '../lib/text/neutralize.js'

/** A Log that prints nothing: the refresher has no log, only its status file's last lines. */
export interface QuietLog extends Log {
  /** The latest log lines, oldest first, masked and neutralized. */
  readonly lines: string[]
  /** A line as it would be recorded: secrets masked, neutralized, capped. */
  clean(text: unknown): string
}

const KEPT_LINES = 20

/**
 * The refresher's log: it runs detached, with stdout and stderr closed, and must never print.
 * Log calls (ours, and the retry and auth lines of the GitHub clients) become lines for the status
 * file. mask() hides a value as the runner would, so a token or key that ever reached a message
 * would show as ***.
 */
export function createQuietLog(now: () => number = Date.now): QuietLog {
  const secrets = new Set<string>()
  const lines: string[] = []
  const clean = (text: unknown) => {
    let flat = text instanceof Error ? text.message : String(text)
    for (const secret of secrets) flat = flat.split(secret).join('***')
    return neutralize(flat)
  }
  const log = (level: string) => (message: unknown) => {
    lines.push(`${new Date(now()).toISOString()} ${level}: ${clean(message)}`)
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES)
  }
  return {
    lines,
    clean,
    mask: (secret: string) => void (secret && secrets.add(secret)),
    info: log('info'),
    debug: log('debug'),
    warning: log('warning')
  }
}
