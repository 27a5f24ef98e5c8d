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
  const block = firstPemBlock(text)
  // Headers (e.g. Proc-Type) need their own lines; such keys are refused as encrypted anyway.
  if (!block || block.body.includes(':')) return text
  const body = block.body.replace(/\s+/g, '')
  const lines = body.match(/.{1,64}/g) ?? []
  return [`-----BEGIN ${block.label}-----`, ...lines, `-----END ${block.label}-----`, ''].join('\n')
}

/**
 * The first BEGIN line with a matching END line after it, and the text between them: what
 * /-----BEGIN (L)-----([\s\S]*?)-----END \1-----/ matches, found in two linear passes. That regex
 * scans to the end of the text from every BEGIN line, so megabytes of BEGIN lines take minutes.
 */
function firstPemBlock(text: string): { label: string; body: string } | undefined {
  const ends = new Map<string, number[]>()
  for (const end of text.matchAll(/-----END ([A-Z0-9 ]+)(?=-----)/g)) {
    const at = ends.get(end[1]!)
    if (at) at.push(end.index)
    else ends.set(end[1]!, [end.index])
  }
  const passed = new Map<string, number>()
  for (const begin of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)(?=-----)/g)) {
    const label = begin[1]!
    const bodyStart = begin.index + begin[0].length + 5
    const at = ends.get(label) ?? []
    // BEGIN lines come in order, so an END before this one is before every later one too.
    let next = passed.get(label) ?? 0
    while (next < at.length && at[next]! < bodyStart) next++
    passed.set(label, next)
    if (next < at.length) return { label, body: text.slice(bodyStart, at[next]) }
  }
  return undefined
}
