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

export type KeyInput = 'private-key' | 'private-key-file'

const FIX =
  "pass the contents of the .pem file downloaded when you generated a private key in the App's settings (Private keys → Generate a private key)"

/**
 * What a key problem means and how to fix it. Pure and built only from fixed text and the input's
 * name, so it can never leak any part of the key into the log.
 */
export function describeKeyProblem(problem: KeyProblem, input: KeyInput): string {
  const subject =
    input === 'private-key' ? "Input 'private-key'" : "The file named by input 'private-key-file'"
  return `${subject} ${MESSAGES[problem](input)}`
}

const MESSAGES: Record<KeyProblem, (input: KeyInput) => string> = {
  empty: (input) =>
    input === 'private-key'
      ? "is empty. Pass the GitHub App's private key, e.g. `private-key: ${{ secrets.APP_PRIVATE_KEY }}`. " +
        'If it comes from a secret, the secret may be unavailable in this context (pull requests from forks, Dependabot) or misspelt.'
      : "is empty. It should hold the GitHub App's private key (the .pem file GitHub generated); check the step that writes it.",
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
