import { createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from '../input-error.js'
import { describeKeyProblem, type KeyInput, type KeyProblem } from './describe-key-problem.js'
import { diagnoseKeyText } from './diagnose-key-text.js'
import { KEY_SIZE_LIMIT } from './read-key-file.js'
import { unwrapKeyText } from './unwrap-key-text.js'

/**
 * The GitHub App private key from an input, parsed once into a KeyObject that signs every JWT.
 *
 * Accepts PKCS#1 and PKCS#8 PEM however it was mangled on the way (see `unwrapKeyText`). Keeping
 * the KeyObject, not a PEM string, means no further copy of the key is made for the step's life.
 * Anything else is refused with an InputError that says what was passed instead and how to fix
 * it, and never contains any part of the input.
 */
export function normalizePrivateKey(raw: string, input: KeyInput): KeyObject {
  if (Buffer.byteLength(raw) > KEY_SIZE_LIMIT) throw refuse('too-large', input)
  const text = unwrapKeyText(raw)
  const problem = diagnoseKeyText(text)
  if (problem) throw refuse(problem, input)
  const key = parse(text, input)
  if (key.asymmetricKeyType !== 'rsa') throw refuse('not-rsa', input)
  return key
}

function parse(pem: string, input: KeyInput): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    // The parser's own message is not shown: it adds nothing a user can act on.
    throw refuse('truncated', input)
  }
}

function refuse(problem: KeyProblem, input: KeyInput): InputError {
  return new InputError(describeKeyProblem(problem, input))
}
