import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js'
import { localAction } from '../harness/local-action.js'

/**
 * GitHub's own @github/local-action runs src/action/main/run.ts and src/action/post/run.ts (not dist/) with its
 * replacements for @actions/core and @actions/github: what README's "Debug locally" shows.
 */
let fake: FakeGitHub
let dir: string
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'write', metadata: 'read' }
  })
  dir = mkdtempSync(join(tmpdir(), 'mint-token-local-action-'))
})
afterEach(async () => fake.close())

describe('local-action: main and post against the fake', () => {
  test('mints and revokes, and local-action shows the outputs', async () => {
    const envFile = join(dir, '.env')
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '')
    writeFileSync(
      envFile,
      [
        `INPUT_APP-ID=${fake.app.id}`,
        `INPUT_PRIVATE-KEY="${fake.app.privateKey.replace(/\n/g, '\\n')}"`,
        `INPUT_GITHUB-API-URL=${fake.url}`,
        'INPUT_PERMISSIONS=contents:read',
        'GITHUB_REPOSITORY=octo-org/app',
        `GITHUB_STEP_SUMMARY=${summary}`
      ].join('\n')
    )
    const { code, output } = await localAction(envFile, dir)
    expect(code).toBe(0)
    const installationId = fake.requests[1]?.path.split('/')[3]
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/app/installation',
      `POST /app/installations/${installationId}/access_tokens`,
      'DELETE /installation/token'
    ])
    const [token] = [...fake.tokens.keys()]
    expect(fake.tokens.get(token!)!.revoked).toBe(true)
    // local-action's own outputs table, and its refusal to print the masked token output.
    expect(output).toMatch(/'installation-id'\s+│ '\d+'/)
    expect(output).toMatch(/'permissions'\s+│ '\{"contents":"read"\}'/)
    expect(output).toContain('Skip output token since it may contain secret.')
    expect(output).toContain('Revoked the installation token.')
    expect(output).not.toContain(token)
    const keyLine = fake.app.privateKey.split('\n')[1]!
    expect(output).not.toContain(keyLine)
    expect(readFileSync(summary, 'utf8')).toContain('<th>Scope</th><td>octo-org/app</td>')
  })
})
