import type { KeyProblem } from './describe-key-problem.js'

/**
 * Recognises, from its shape alone, text that is not a usable RSA private key, so the error can say
 * what was pasted instead. `undefined` means it looks like a PEM private key worth parsing.
 * Checks run in order: the more specific shapes first.
 */
export function diagnoseKeyText(text: string): KeyProblem | undefined {
  if (text === '') return 'empty'
  if (/^[0-9a-f]{40}$/i.test(text)) return 'client-secret'
  if (
    /^SHA256:[A-Za-z0-9+/=]{20,}$/i.test(text) ||
    /^([0-9a-f]{2}:){15,}[0-9a-f]{2}$/i.test(text)
  ) {
    return 'fingerprint'
  }
  if (text.includes('BEGIN OPENSSH PRIVATE KEY')) return 'openssh'
  if (/BEGIN (RSA |SSH2 )?PUBLIC KEY|^(ssh-[a-z0-9]+|ecdsa-sha2-\S+) AAAA/.test(text))
    return 'public-key'
  if (/BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: *4, *ENCRYPTED/i.test(text)) return 'encrypted'
  if (/BEGIN (EC|DSA) PRIVATE KEY/.test(text)) return 'not-rsa'
  const label = /-----BEGIN ((?:RSA )?PRIVATE KEY)-----/.exec(text)?.[1]
  if (!label) return 'not-pem'
  if (!text.includes(`-----END ${label}-----`)) return 'truncated'
  return undefined
}
