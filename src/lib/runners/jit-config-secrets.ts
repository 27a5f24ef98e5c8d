/** RSA fields that are the private key; the exponent and modulus are public and short or harmless. */
const PRIVATE_RSA_FIELDS = ['d', 'dp', 'dq', 'inverseQ', 'p', 'q']

/**
 * Every secret inside an encoded JIT config: the whole value, each embedded file's content, and
 * the private RSA fields. Short public values (names, URLs, the exponent) are left out on purpose:
 * masking them would blank unrelated log text. Nothing decoded here is ever logged.
 */
export function jitConfigSecrets(encoded: string): string[] {
  const secrets = [encoded]
  const files = decodeJson(encoded)
  if (!files) return secrets
  for (const content of Object.values(files)) {
    if (typeof content !== 'string') continue
    secrets.push(content)
    const inner = decodeJson(content)
    for (const field of PRIVATE_RSA_FIELDS) {
      const value = inner?.[field]
      if (typeof value === 'string' && value.length >= 8) secrets.push(value)
    }
  }
  return [...new Set(secrets)]
}

function decodeJson(base64: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'))
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
