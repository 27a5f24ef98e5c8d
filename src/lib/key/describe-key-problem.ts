/** Why a private-key input was refused. Each has one message; none ever quotes the input. */
export type KeyProblem =
  | 'empty'
  | 'client-secret'
  | 'fingerprint'
  | 'openssh'
  | 'public-key'
  | 'encrypted'
  | 'not-rsa'
  | 'truncated'
  | 'not-pem'
  | 'too-large'

/**
 * Where a key came from, as messages name it: the action's two inputs by name, or a front end's
 * own source (a flag, standard input, an environment variable).
 */
export type KeyInput = 'private-key' | 'private-key-file' | KeySource

export interface KeySource {
  /** The sentence's subject: "GITHUB_APP_PRIVATE_KEY", "The file named by --private-key-file". */
  subject: string
  /** What an empty key means here and what to do, after "… is empty.". */
  whenEmpty: string
}

const ACTION_SOURCES: Record<'private-key' | 'private-key-file', KeySource> = {
  'private-key': {
    subject: "Input 'private-key'",
    whenEmpty:
      "Pass the GitHub App's private key, e.g. `private-key: ${{ secrets.APP_PRIVATE_KEY }}`. " +
      'If it comes from a secret, the secret may be unavailable in this context (pull requests from forks, Dependabot) or misspelt.'
  },
  'private-key-file': {
    subject: "The file named by input 'private-key-file'",
    whenEmpty:
      "It should hold the GitHub App's private key (the .pem file GitHub generated); check the step that writes it."
  }
}

const FIX =
  "pass the contents of the .pem file downloaded when you generated a private key in the App's settings (Private keys → Generate a private key)"

/**
 * What a key problem means and how to fix it. Pure and built only from fixed text and the input's
 * name, so it can never leak any part of the key into the log.
 */
export function describeKeyProblem(problem: KeyProblem, input: KeyInput): string {
  const source = typeof input === 'string' ? ACTION_SOURCES[input] : input
  return `${source.subject} ${MESSAGES[problem](source)}`
}

const MESSAGES: Record<KeyProblem, (source: KeySource) => string> = {
  empty: (source) => `is empty. ${source.whenEmpty}`,
  'client-secret': () =>
    `looks like the App's client secret (40 hexadecimal characters), not its private key. Instead, ${FIX}.`,
  fingerprint: () =>
    `looks like a key fingerprint (what GitHub shows next to each private key), not the key itself. Instead, ${FIX}.`,
  openssh: () =>
    'is an OpenSSH private key (e.g. an SSH deploy key), not a GitHub App key. ' +
    `Instead, ${FIX}; an RSA key in OpenSSH format converts with \`ssh-keygen -p -m PEM -f <file>\`.`,
  'public-key': () => `is a public key, but the App's private key is expected. Instead, ${FIX}.`,
  encrypted: () =>
    'is a passphrase-protected (encrypted) private key, which is not supported. ' +
    'Decrypt it first with `openssl pkey -in encrypted.pem -out app.pem` and store the decrypted key as a secret.',
  'not-rsa': () =>
    `is a private key but not an RSA one; GitHub App private keys are RSA. Instead, ${FIX}.`,
  truncated: () =>
    'looks like a PEM private key but is truncated or corrupted (no END line, or a body that does not parse). ' +
    'Pass the whole .pem file, including the BEGIN and END lines, e.g. store it with `gh secret set APP_PRIVATE_KEY < app.pem`.',
  'not-pem': () =>
    "is not a PEM private key. Expected the .pem file GitHub generated for the App, whose first line reads 'BEGIN RSA PRIVATE KEY' between dashes; " +
    `${FIX}.`,
  'too-large': () =>
    `is larger than 64 KB, but a GitHub App private key is under 4 KB. Instead, ${FIX}.`
}
