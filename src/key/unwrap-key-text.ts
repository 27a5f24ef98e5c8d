/**
 * Undoes the ways a PEM gets mangled on its way into a secret or a single-line field: surrounding
 * whitespace and quotes, literal `\n` escapes, CRLF, the whole file base64-encoded, and body lines
 * joined with spaces. Returns the cleaned text; when it holds a complete PEM block, that block
 * re-wrapped canonically (64-character lines).
 */
export function unwrapKeyText(raw: string): string {
  const text = clean(raw)
  const decoded = decodeBase64Pem(text)
  return rewrapPem(decoded ?? text)
}

function clean(raw: string): string {
  const trimmed = raw.trim()
  const unquoted = /^(['"])[\s\S]*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed
  return unquoted
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .trim()
}

/** The PEM inside `text` if `text` is the base64 of a PEM (a common way to store it in a secret). */
function decodeBase64Pem(text: string): string | undefined {
  if (text.includes('-----') || !/^[A-Za-z0-9+/=\s]+$/.test(text)) return undefined
  const decoded = clean(Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8'))
  return decoded.includes('-----BEGIN ') ? decoded : undefined
}

/** Rebuilds the first complete PEM block, dropping any whitespace inside its body. */
function rewrapPem(text: string): string {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text)
  // Headers (e.g. Proc-Type) need their own lines; such keys are refused as encrypted anyway.
  if (!match || match[2]?.includes(':')) return text
  const body = (match[2] ?? '').replace(/\s+/g, '')
  const lines = body.match(/.{1,64}/g) ?? []
  return [`-----BEGIN ${match[1]}-----`, ...lines, `-----END ${match[1]}-----`, ''].join('\n')
}
