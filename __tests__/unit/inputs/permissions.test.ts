import { APP_PERMISSIONS } from '../../../src/generated/app-permissions.js'
import { InputError } from '../../../src/lib/input-error.js'
import {
  describeMissingPermissions,
  findMissingPermissions
} from '../../../src/lib/permissions/find-missing-permissions.js'
import { levenshtein, nearestName } from '../../../src/lib/permissions/nearest-name.js'
import { parsePermissions } from '../../../src/lib/permissions/parse-permissions.js'

const DOCS =
  'https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app'

describe('permissions: the generated list', () => {
  test('comes from GitHub’s OpenAPI description, sorted, with levels per permission', () => {
    const names = Object.keys(APP_PERMISSIONS)
    expect(names).toEqual([...names].sort())
    expect(APP_PERMISSIONS.contents).toEqual(['read', 'write'])
    expect(APP_PERMISSIONS.workflows).toEqual(['write'])
    expect(APP_PERMISSIONS.organization_projects).toEqual(['read', 'write', 'admin'])
  })
})

describe('permissions: parsing the input', () => {
  test.each([
    ['empty', '', undefined],
    ['whitespace', ' \n\t ', undefined],
    ['comma-separated', 'contents:read,issues:write', { contents: 'read', issues: 'write' }],
    [
      'commas and spaces',
      ' contents : read ,  issues:write ',
      { contents: 'read', issues: 'write' }
    ],
    ['newlines', 'contents:read\nissues:write\n', { contents: 'read', issues: 'write' }],
    [
      'YAML-ish lines',
      'contents: read\n  pull-requests: write\n',
      { contents: 'read', pull_requests: 'write' }
    ],
    ['quoted levels', `contents: 'read'\nissues: "write"`, { contents: 'read', issues: 'write' }],
    [
      'mixed separators, blanks',
      'contents:read,\n\n, issues:write',
      { contents: 'read', issues: 'write' }
    ],
    [
      'case and dashes',
      'Pull-Requests:WRITE, SECURITY_EVENTS:Read',
      { pull_requests: 'write', security_events: 'read' }
    ],
    ['admin where allowed', 'organization_projects:admin', { organization_projects: 'admin' }],
    ['a repeated identical pair', 'contents:read, contents:read', { contents: 'read' }]
  ])('%s', (_name, raw, expected) => {
    expect(parsePermissions(raw)).toEqual(expected)
  })

  test.each([
    ['no colon', 'contents:read, xyz', 'xyz'],
    ['empty name', ':read', ':read'],
    ['empty level', 'contents:', 'contents:'],
    ['YAML-ish line without level', 'issues: write\ncontents:   ', 'contents:']
  ])('a malformed entry: %s', (_name, raw, entry) => {
    expect(() => parsePermissions(raw)).toThrow(
      new InputError(
        `Input 'permissions' has an entry '${entry}' that is not 'name:level'. Expected pairs like 'contents:read, issues:write'.`
      )
    )
  })

  test('an unknown name with a near match', () => {
    expect(() => parsePermissions('contnets:read')).toThrow(
      `Input 'permissions' names an unknown permission 'contnets'. Did you mean 'contents'? Valid names are listed at ${DOCS}`
    )
  })

  test('an unknown name with nothing near', () => {
    expect(() => parsePermissions('telepathy:read')).toThrow(
      `Input 'permissions' names an unknown permission 'telepathy'. Valid names are listed at ${DOCS}`
    )
  })

  test('a name from Object.prototype is unknown, not crashing', () => {
    expect(() => parsePermissions('constructor:read')).toThrow(
      `Input 'permissions' names an unknown permission 'constructor'. Valid names are listed at ${DOCS}`
    )
  })

  test.each([
    [
      'contents:admin',
      "Input 'permissions' sets 'contents' to 'admin', but 'contents' allows: read, write."
    ],
    [
      'workflows: read',
      "Input 'permissions' sets 'workflows' to 'read', but 'workflows' allows: write."
    ],
    [
      'Issues:None',
      "Input 'permissions' sets 'issues' to 'none', but 'issues' allows: read, write."
    ]
  ])('a level the permission does not allow: %s', (raw, message) => {
    expect(() => parsePermissions(raw)).toThrow(new InputError(message))
  })

  test('the same name twice with different levels', () => {
    expect(() => parsePermissions('contents:read\npull_requests:read\ncontents:write')).toThrow(
      "Input 'permissions' sets 'contents' twice, to 'read' and to 'write'. Keep one."
    )
  })

  test('errors are InputErrors', () => {
    expect(() => parsePermissions('x')).toThrow(InputError)
  })
})

describe('permissions: nearest name', () => {
  test('edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3)
    expect(levenshtein('', 'abc')).toBe(3)
    expect(levenshtein('same', 'same')).toBe(0)
  })

  test.each([
    ['contnets', 'contents'],
    ['isues', 'issues'],
    ['pull_request', 'pull_requests'],
    ['workflow', 'workflows'],
    ['xyz', undefined],
    ['telepathy', undefined]
  ])('%s → %s', (name, expected) => {
    expect(nearestName(name, Object.keys(APP_PERMISSIONS))).toBe(expected)
  })
})

describe('permissions: what the installation does not grant', () => {
  const granted = { contents: 'read', issues: 'write', organization_projects: 'admin' }

  test('nothing missing when every level is met or exceeded', () => {
    expect(
      findMissingPermissions(
        { contents: 'read', issues: 'read', organization_projects: 'write' },
        granted
      )
    ).toEqual([])
  })

  test('too low a level, and not granted at all', () => {
    expect(
      findMissingPermissions({ contents: 'write', issues: 'write', metadata: 'read' }, granted)
    ).toEqual([
      { name: 'contents', requested: 'write', granted: 'read' },
      { name: 'metadata', requested: 'read' }
    ])
  })

  test('admin is above write', () => {
    expect(
      findMissingPermissions({ organization_projects: 'admin' }, { organization_projects: 'write' })
    ).toEqual([{ name: 'organization_projects', requested: 'admin', granted: 'write' }])
  })

  test('one line naming the app, the account, each gap and both fixes', () => {
    const message = describeMissingPermissions(
      [
        { name: 'contents', requested: 'write', granted: 'read' },
        { name: 'issues', requested: 'read' }
      ],
      { appSlug: 'my-app', account: 'octo-org' }
    )
    expect(message).toBe(
      "The GitHub App 'my-app' installation on 'octo-org' does not grant what input 'permissions' asks for: contents: write (installation grants read), issues: read (installation grants none). Either lower them in 'permissions', or add them in the App's settings (Permissions & events) and have the installation owner accept the new permissions."
    )
    expect(message).not.toContain('\n')
  })

  test('one gap, needed by the action itself rather than asked for', () => {
    expect(
      describeMissingPermissions(
        [{ name: 'organization_self_hosted_runners', requested: 'write' }],
        {
          appSlug: 'my-app',
          account: 'octo-org',
          neededFor: 'what managing organization runners needs'
        }
      )
    ).toBe(
      "The GitHub App 'my-app' installation on 'octo-org' does not grant what managing organization runners needs: organization_self_hosted_runners: write (installation grants none). Add it in the App's settings (Permissions & events) and have the installation owner accept the new permissions."
    )
  })
})
