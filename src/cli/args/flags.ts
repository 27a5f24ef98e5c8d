/** One flag of a command: its parseArgs type and its line in --help. */
export interface Flag {
  name: string
  type: 'string' | 'boolean'
  /** The value's placeholder in --help: `--owner LOGIN`. */
  value?: string
  help: string
}

export const API_URL_FLAG: Flag = {
  name: 'api-url',
  type: 'string',
  value: 'URL',
  help: 'https://api.github.com, or https://HOST/api/v3 for GHES (env GITHUB_API_URL)'
}

/** The App and where it lives: every command that signs as the App takes these. */
export const CREDENTIAL_FLAGS: Flag[] = [
  { name: 'app-id', type: 'string', value: 'ID', help: 'the App ID (env GITHUB_APP_ID)' },
  {
    name: 'client-id',
    type: 'string',
    value: 'ID',
    help: "the App's Client ID, instead of --app-id (env GITHUB_APP_CLIENT_ID)"
  },
  {
    name: 'installation-id',
    type: 'string',
    value: 'ID',
    help: 'skip the installation lookup (env GITHUB_APP_INSTALLATION_ID)'
  },
  {
    name: 'private-key-file',
    type: 'string',
    value: 'PATH',
    help: "the App's .pem file (env GITHUB_APP_PRIVATE_KEY_PATH, or the key itself in GITHUB_APP_PRIVATE_KEY)"
  },
  { name: 'private-key-stdin', type: 'boolean', help: 'read the key from standard input' },
  {
    name: 'app-jwt-file',
    type: 'string',
    value: 'PATH',
    help: 'an App JWT signed elsewhere (a KMS), instead of a key'
  },
  { name: 'app-jwt-stdin', type: 'boolean', help: 'read that App JWT from standard input' },
  API_URL_FLAG
]

/** Whose token, what it may do, and its format: `token` and `exec`. */
export const SCOPE_FLAGS: Flag[] = [
  {
    name: 'enterprise',
    type: 'string',
    value: 'SLUG',
    help: "the App's installation on an enterprise (enterprise permissions only)"
  },
  { name: 'owner', type: 'string', value: 'LOGIN', help: 'the installation’s account' },
  {
    name: 'repositories',
    type: 'string',
    value: 'A,B',
    help: 'names or owner/name; default: every repository of the owner'
  },
  {
    name: 'permissions',
    type: 'string',
    value: 'P:L,…',
    help: 'e.g. contents:read,issues:write; default: all the installation has'
  },
  {
    name: 'token-format',
    type: 'string',
    value: 'FORMAT',
    help: "stateless (about 520 characters) or classic (40); default: GitHub's"
  }
]

/** Where a runner registers: `runner-token`, `jit-config`, `runners`. */
export const RUNNER_HOME_FLAGS: Flag[] = [
  {
    name: 'owner',
    type: 'string',
    value: 'LOGIN',
    help: 'the organization, or the repository owner'
  },
  {
    name: 'repository',
    type: 'string',
    value: 'NAME',
    help: "a repository's runner instead of the organization's"
  }
]

/** Where a minted credential goes besides the masked JSON: one of them (see parseDelivery). */
export const DELIVERY_FLAGS: Flag[] = [
  {
    name: 'token-file',
    type: 'string',
    value: 'PATH',
    help: 'write the token to a new file (0600)'
  },
  { name: 'print-token', type: 'boolean', help: 'print the bare token, for a pipe' },
  { name: 'output', type: 'string', value: 'FORMAT', help: 'json (default) or json-with-token' },
  { name: 'force', type: 'boolean', help: 'allow --print-token or json-with-token on a terminal' }
]

export const HELP_FLAG: Flag = { name: 'help', type: 'boolean', help: 'show this help' }
