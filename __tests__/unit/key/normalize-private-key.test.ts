import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { InputError } from '../../../src/lib/input-error.js'
import { describeKeyProblem } from '../../../src/lib/key/describe-key-problem.js'
import { diagnoseKeyText } from '../../../src/lib/key/diagnose-key-text.js'
import { normalizePrivateKey } from '../../../src/lib/key/normalize-private-key.js'
import { unwrapKeyText } from '../../../src/lib/key/unwrap-key-text.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
const body = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----'))

/** The refused input's message must not contain any 8-character run of the input. */
function expectNoLeak(message: string, input: string) {
  for (let i = 0; i + 8 <= input.length; i++) {
    const piece = input.slice(i, i + 8)
    if (message.includes(piece)) throw new Error(`message leaks ${JSON.stringify(piece)}`)
  }
}

function refusal(raw: string, input: 'private-key' | 'private-key-file' = 'private-key'): string {
  try {
    normalizePrivateKey(raw, input)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    const message = (error as Error).message
    expectNoLeak(message, raw)
    return message
  }
  throw new Error('expected the key to be refused')
}

describe('normalizePrivateKey: accepted shapes', () => {
  test.each([
    ['PKCS#1 PEM', pkcs1],
    ['PKCS#8 PEM', pkcs8],
    ['literal \\n escapes', pkcs1.trim().replaceAll('\n', '\\n')],
    ['CRLF line endings', pkcs1.replaceAll('\n', '\r\n')],
    ['surrounding whitespace', `\n\n   ${pkcs1}  \n\t`],
    ['double quotes', `"${pkcs1.trim()}"`],
    ['single quotes around escaped newlines', `'${pkcs8.trim().replaceAll('\n', '\\n')}'`],
    ['base64 of the PEM, one line', Buffer.from(pkcs1).toString('base64')],
    ['base64 of the PEM, wrapped', Buffer.from(pkcs8).toString('base64').replace(/.{76}/g, '$&\n')],
    ['body lines joined with spaces', pkcs1.trim().split('\n').join(' ')],
    ['a stray BEGIN line before the key', `-----BEGIN NOTE-----\n${pkcs1}`],
    ['an END of another block before the key', `-----END RSA PRIVATE KEY-----\n${pkcs1}`],
    [
      'body on one line without spaces',
      `${pkcs1.split('\n')[0]}\n${body(pkcs1).join('')}\n-----END RSA PRIVATE KEY-----`
    ]
  ])('%s → the same RSA key', (_name, raw) => {
    const key = normalizePrivateKey(raw, 'private-key')
    expect(key.asymmetricKeyType).toBe('rsa')
    expect(key.export({ type: 'pkcs8', format: 'pem' })).toBe(pkcs8)
  })
})

describe('normalizePrivateKey: refusals say what was passed and never quote it', () => {
  const fix =
    "pass the contents of the .pem file downloaded when you generated a private key in the App's settings (Private keys → Generate a private key)"
  const encrypted = privateKey
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
    .toString()
  const legacyEncrypted = privateKey
    .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
    .toString()
  const lines = pkcs1.trim().split('\n')
  const openssh = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(300).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`

  test.each([
    [
      'empty',
      '  \n ',
      "Input 'private-key' is empty. Pass the GitHub App's private key, e.g. `private-key: ${{ secrets.APP_PRIVATE_KEY }}`. If it comes from a secret, the secret may be unavailable in this context (pull requests from forks, Dependabot) or misspelt."
    ],
    [
      'a client secret',
      randomBytes(20).toString('hex'),
      `Input 'private-key' looks like the App's client secret (40 hexadecimal characters), not its private key. Instead, ${fix}.`
    ],
    [
      'a SHA256 fingerprint',
      `SHA256:${randomBytes(32).toString('base64').replace(/=$/, '')}`,
      `Input 'private-key' looks like a key fingerprint (what GitHub shows next to each private key), not the key itself. Instead, ${fix}.`
    ],
    [
      'a hex fingerprint',
      randomBytes(16)
        .toString('hex')
        .replace(/..(?!$)/g, '$&:'),
      `Input 'private-key' looks like a key fingerprint (what GitHub shows next to each private key), not the key itself. Instead, ${fix}.`
    ],
    [
      'an OpenSSH key',
      openssh,
      `Input 'private-key' is an OpenSSH private key (e.g. an SSH deploy key), not a GitHub App key. Instead, ${fix}; an RSA key in OpenSSH format converts with \`ssh-keygen -p -m PEM -f <file>\`.`
    ],
    [
      'an SPKI public key',
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      `Input 'private-key' is a public key, but the App's private key is expected. Instead, ${fix}.`
    ],
    [
      'a PKCS#1 public key',
      publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      `Input 'private-key' is a public key, but the App's private key is expected. Instead, ${fix}.`
    ],
    [
      'an ssh-rsa public key',
      `ssh-rsa AAAAB3NzaC1yc2E${randomBytes(200).toString('base64')} me@host`,
      `Input 'private-key' is a public key, but the App's private key is expected. Instead, ${fix}.`
    ],
    [
      'an encrypted PKCS#8 key',
      encrypted,
      "Input 'private-key' is a passphrase-protected (encrypted) private key, which is not supported. Decrypt it first with `openssl pkey -in encrypted.pem -out app.pem` and store the decrypted key as a secret."
    ],
    [
      'a Proc-Type encrypted key',
      legacyEncrypted,
      "Input 'private-key' is a passphrase-protected (encrypted) private key, which is not supported. Decrypt it first with `openssl pkey -in encrypted.pem -out app.pem` and store the decrypted key as a secret."
    ],
    [
      'an EC key (SEC1)',
      ec.export({ type: 'sec1', format: 'pem' }).toString(),
      `Input 'private-key' is a private key but not an RSA one; GitHub App private keys are RSA. Instead, ${fix}.`
    ],
    [
      'an EC key (PKCS#8)',
      ec.export({ type: 'pkcs8', format: 'pem' }).toString(),
      `Input 'private-key' is a private key but not an RSA one; GitHub App private keys are RSA. Instead, ${fix}.`
    ],
    [
      'no END line',
      lines.slice(0, 10).join('\n'),
      "Input 'private-key' looks like a PEM private key but is truncated or corrupted (no END line, or a body that does not parse). Pass the whole .pem file, including the BEGIN and END lines, e.g. store it with `gh secret set APP_PRIVATE_KEY < app.pem`."
    ],
    [
      'a body cut short',
      [...lines.slice(0, 10), lines.at(-1)].join('\n'),
      "Input 'private-key' looks like a PEM private key but is truncated or corrupted (no END line, or a body that does not parse). Pass the whole .pem file, including the BEGIN and END lines, e.g. store it with `gh secret set APP_PRIVATE_KEY < app.pem`."
    ],
    [
      'the body without BEGIN/END lines',
      body(pkcs1).join('\n'),
      "Input 'private-key' is not a PEM private key. Expected the .pem file GitHub generated for the App, whose first line reads 'BEGIN RSA PRIVATE KEY' between dashes; " +
        `${fix}.`
    ],
    [
      'some other text',
      'hello, world: 42',
      "Input 'private-key' is not a PEM private key. Expected the .pem file GitHub generated for the App, whose first line reads 'BEGIN RSA PRIVATE KEY' between dashes; " +
        `${fix}.`
    ]
  ])('%s', (_name, raw, message) => {
    expect(refusal(raw)).toBe(message)
  })

  test("'private-key-file' names the file's input", () => {
    expect(refusal('', 'private-key-file')).toBe(
      "The file named by input 'private-key-file' is empty. It should hold the GitHub App's private key (the .pem file GitHub generated); check the step that writes it."
    )
    expect(refusal(openssh, 'private-key-file')).toMatch(
      /^The file named by input 'private-key-file' is an OpenSSH private key/
    )
  })

  test('describeKeyProblem is the message normalizePrivateKey throws', () => {
    expect(() => normalizePrivateKey('nope', 'private-key')).toThrow(
      describeKeyProblem('not-pem', 'private-key')
    )
  })
})

describe('normalizePrivateKey: size and time are bounded', () => {
  test('more than 64 KB is refused before it is parsed', () => {
    expect(refusal(`${pkcs1}${' '.repeat(64 * 1024)}`)).toBe(
      "Input 'private-key' is larger than 64 KB, but a GitHub App private key is under 4 KB. Instead, pass the contents of the .pem file downloaded when you generated a private key in the App's settings (Private keys → Generate a private key)."
    )
    expect(refusal('x'.repeat(64 * 1024 + 1), 'private-key-file')).toMatch(
      /^The file named by input 'private-key-file' is larger than 64 KB/
    )
  })

  test('64 KB, padding included, is accepted', () => {
    const padded = `${pkcs1}${'\n'.repeat(64 * 1024 - pkcs1.length)}`
    expect(normalizePrivateKey(padded, 'private-key').asymmetricKeyType).toBe('rsa')
  })

  // Each shape took the old /BEGIN (L)-----([\s\S]*?)-----END \1/ about 25 s at 4 MB: it
  // scanned to the end of the text from every BEGIN line.
  test.each([
    ['BEGIN lines', '-----BEGIN RSA PRIVATE KEY-----\n'],
    ['BEGIN lines of distinct labels', '-----BEGIN A-----\n-----BEGIN B-----\n-----BEGIN C-----\n'],
    [
      'END lines before BEGIN lines',
      '-----END RSA PRIVATE KEY-----\n-----BEGIN RSA PRIVATE KEY-----\n'
    ],
    ['an opening quote', '"-----BEGIN RSA PRIVATE KEY-----\n'],
    ['fingerprint-like pairs', 'ab:'],
    ['base64', 'QUJD']
  ])('4 MB of %s: unwrapped and diagnosed in linear time', (_name, line) => {
    const text = line.repeat(Math.ceil((4 * 1024 * 1024) / line.length))
    const started = performance.now()
    diagnoseKeyText(unwrapKeyText(text))
    // ≈0.1 s here; a quadratic pass over 4 MB would take hours, so a wide bound cannot flake.
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  test('64 KB of BEGIN lines is refused as truncated, quickly', () => {
    const text = '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(2_048)
    const started = performance.now()
    expect(refusal(text)).toBe(describeKeyProblem('truncated', 'private-key'))
    // ≈6 ms here; a pass quadratic in the 64 KB would take seconds.
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})
