import type { InstallationRequest } from '../../../src/lib/requests.js'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { APP_PERMISSIONS } from '../../../src/generated/app-permissions.js'
import { parseInputs } from '../../../src/action/inputs/parse-inputs.js'
import { testContext } from '../../harness/test-context.js'
import { ROOT } from '../../metadata/workflow-checks.js'

/**
 * The inputs of actions/create-github-app-token (`permission-<name>`, `skip-token-revoke`) as
 * parseInputs reads them. The runner puts every `with:` key in the environment as INPUT_<NAME>,
 * declared in action.yml or not; `parse` does the same, and fills action.yml's defaults.
 */

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const defaults = { revoke: 'true', 'token-type': 'installation', summary: 'true' }

function parse(given: Record<string, string>) {
  const inputs = { ...defaults, 'app-id': '1', 'private-key': pem, ...given }
  const environment = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
  )
  return parseInputs(testContext({ inputs, run: { environment } }).ctx)
}
const installation = (given: Record<string, string>) => parse(given) as InstallationRequest

describe('compat: permission-<name> inputs', () => {
  test('they scope the token as permissions does', () => {
    const parsed = installation({
      'permission-contents': 'read',
      'permission-pull-requests': 'Write'
    })
    expect(parsed.permissions).toEqual({ contents: 'read', pull_requests: 'write' })
  })

  test('they combine with permissions; the same level twice is fine', () => {
    const parsed = installation({
      permissions: 'contents:read, actions:read',
      'permission-contents': 'read',
      'permission-issues': 'write'
    })
    expect(parsed.permissions).toEqual({ contents: 'read', actions: 'read', issues: 'write' })
  })

  test('empty ones are not set, as the official action ignores them', () => {
    expect(installation({ 'permission-contents': ' ' }).permissions).toBeUndefined()
  })

  test('the same name at two levels is refused, naming both inputs', () => {
    expect(() => parse({ permissions: 'contents:read', 'permission-contents': 'write' })).toThrow(
      "Inputs 'permissions' and 'permission-contents' both set 'contents', to 'read' and to 'write'. Keep one."
    )
  })

  test('a level the permission does not have is refused', () => {
    expect(() => parse({ 'permission-workflows': 'read' })).toThrow(
      "Input 'permission-workflows' is 'read'; expected 'write'."
    )
  })

  test('an undeclared permission-<name> input is refused rather than dropped', () => {
    expect(() => parse({ 'permission-team-discussions': 'write' })).toThrow(
      "Input 'permission-team-discussions' names no permission GitHub lists for Apps. Remove it or fix its name: ignoring it would mint a token without that limit."
    )
    expect(() => parse({ 'permission-contnets': 'read' })).toThrow(
      "Input 'permission-contnets' names no permission GitHub lists for Apps. Did you mean 'permission-contents'? Remove it or fix its name: ignoring it would mint a token without that limit."
    )
  })

  test('runner credentials refuse them', () => {
    expect(() =>
      parse({ 'token-type': 'runner-registration', 'permission-issues': 'read' })
    ).toThrow(
      "Input 'permission-issues' applies to 'token-type: installation' only; a runner-registration credential is minted with the one permission it needs. Remove 'permission-issues'."
    )
  })

  test('action.yml declares one per generated permission, after the native inputs', () => {
    const doc = parseDocument(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
    const names = (doc.toJS() as { inputs: Record<string, unknown> }).inputs
    const declared = Object.keys(names).filter((name) => name.startsWith('permission-'))
    expect(declared).toEqual(
      Object.keys(APP_PERMISSIONS).map((name) => `permission-${name.replaceAll('_', '-')}`)
    )
    const order = Object.keys(names)
    expect(order.slice(order.indexOf('skip-token-revoke'))).toEqual([
      'skip-token-revoke',
      ...declared
    ])
  })
})

describe('compat: skip-token-revoke', () => {
  test.each([
    ['unset: revoke decides', {}, true],
    ['unset, revoke: false', { revoke: 'false' }, false],
    ['true: no revocation', { 'skip-token-revoke': 'true' }, false],
    ['false: revocation', { 'skip-token-revoke': 'false' }, true],
    ['true with revoke: false', { 'skip-token-revoke': 'true', revoke: 'false' }, false]
  ])('%s', (_name, given, revoke) => {
    expect(installation(given).revoke).toBe(revoke)
  })

  test("false with 'revoke: false' contradicts, and is refused", () => {
    expect(() => parse({ 'skip-token-revoke': 'false', revoke: 'false' })).toThrow(
      "Inputs 'revoke: false' and 'skip-token-revoke: false' contradict each other: the first keeps the token, the second revokes it. Keep 'revoke' and remove 'skip-token-revoke'."
    )
  })

  test('not a boolean', () => {
    expect(() => parse({ 'skip-token-revoke': 'yes' })).toThrow(
      "Input 'skip-token-revoke' is 'yes'; expected true or false."
    )
  })
})
