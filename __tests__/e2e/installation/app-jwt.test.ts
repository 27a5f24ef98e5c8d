import { createPrivateKey, sign } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.js'
import { assertNoLeaks } from '../../harness/assert-no-leaks.js'
import { expectRefused, newJob, runAction, runStep, type Job } from '../../harness/run-action.js'
import { newWorkdir, runCli } from '../../harness/run-cli.js'

/**
 * 'app-jwt' (and the command line's --app-jwt-file/--app-jwt-stdin): an App JWT signed in an
 * earlier step, as a KMS would, instead of a key. The fake verifies it with the App's public key
 * as GitHub does; the step checks its shape first and names what is wrong, never the JWT.
 */
let fake: FakeGitHub
let job: Job
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app'],
    permissions: { contents: 'read' }
  })
  job = newJob(fake.url)
})
afterEach(async () => fake.close())

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
/** What `aws kms sign --signing-algorithm RSASSA_PKCS1_V1_5_SHA_256` would make of it. */
function signJwt(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }
): string {
  const now = Math.floor(Date.now() / 1000)
  const body = `${b64(header)}.${b64({ iat: now - 30, exp: now + 540, iss: String(fake.app.id), ...claims })}`
  const signature = sign('sha256', Buffer.from(body), createPrivateKey(fake.app.privateKey))
  return `${body}.${signature.toString('base64url')}`
}
const mints = () => fake.requests.filter((r) => r.path.endsWith('/access_tokens'))

describe('main: app-jwt instead of a key', () => {
  test('mints with the JWT (no app-id needed), masked before anything; post revokes', async () => {
    const jwt = signJwt()
    const { main, post } = await runAction(job, { 'app-jwt': jwt })
    expect(main.errors).toEqual([])
    const token = main.outputs.token!
    expect(fake.tokens.get(token)).toMatchObject({ repositories: ['app'] })
    expect(main.stdout.indexOf(`::add-mask::${jwt}`)).toBe(main.stdout.indexOf('::add-mask::'))
    expect(fake.requests[0]!.auth).toBe('jwt')
    expect(fake.tokens.get(token)!.revoked).toBe(true)
    expect(post.exitCode).toBe(0)
    assertNoLeaks(job, [main, post], { maskable: [jwt, token] })
  })

  test('a JWT GitHub refuses (signed by another key): the reason, never the JWT', async () => {
    const other = signJwt({ iss: '999999' })
    const main = await runStep(job, 'main', { 'app-jwt': other })
    expect(main.exitCode).toBe(1)
    expect(main.errors[0]).toMatch(/^GitHub rejected the App JWT \(HTTP 401: /)
    expect(main.errors[0]).not.toContain(other.split('.')[1]!)
  })

  const now = () => Math.floor(Date.now() / 1000)
  test.each([
    ['not three parts', () => 'abc.def', 'a JWT is three base64url parts separated by dots'],
    [
      'HS256',
      () => signJwt({}, { alg: 'HS256', typ: 'JWT' }),
      "its header's alg is not RS256, which GitHub requires"
    ],
    ['no iss', () => signJwt({ iss: undefined }), 'it has no iss (the App ID or Client ID)'],
    ['exp not a number', () => signJwt({ exp: 'soon' }), 'its exp is not a number'],
    [
      'expired',
      () => signJwt({ iat: now() - 700, exp: now() - 100 }),
      'it has expired (exp is in the past)'
    ],
    [
      'lives too long',
      () => signJwt({ iat: now(), exp: now() + 3600 }),
      'its exp is more than 10 minutes after its iat, which GitHub refuses'
    ]
  ])('refused before any request: %s', async (_name, jwt, problem) => {
    const given = jwt()
    const main = await runStep(job, 'main', { 'app-jwt': given })
    expectRefused(
      main,
      `Input 'app-jwt' is not a usable App JWT: ${problem}. Sign a fresh one (RS256, iat, exp at most 10 minutes later, iss = the App ID or Client ID).`
    )
    expect(fake.requests).toEqual([])
    assertNoLeaks(job, [main], { maskable: [given] })
  })

  test.each([
    [
      () => ({ 'private-key': fake.app.privateKey }),
      "Inputs 'app-jwt' and 'private-key' are both set; the JWT is signed elsewhere so that no key is in the workflow. Remove 'private-key'."
    ],
    [
      () => ({ 'app-id': '42' }),
      "Input 'app-id' is '42', but the App JWT's iss names another App; leave 'app-id' out (the JWT says which App it is) or fix it."
    ],
    [
      () => ({ 'token-file': 'true', 'token-refresh': 'true' }),
      "Inputs 'app-jwt' and 'token-refresh' are both set; the refresher mints again for hours and can't sign a new JWT. Leave 'token-refresh' out, or pass a key."
    ],
    [
      () => ({
        'token-type': 'runner-jit',
        owner: 'octo-org',
        'runner-labels': 'x',
        'runner-cleanup': 'always'
      }),
      "Inputs 'app-jwt' and 'runner-cleanup: always' are both set; the post step would ask GitHub as the App after the JWT expired. Use 'runner-cleanup: never' (the runner removes itself after its job), or pass a key."
    ]
  ])('refused with what needs a key: %#', async (extra, message) => {
    expectRefused(await runStep(job, 'main', { 'app-jwt': signJwt(), ...extra() }), message)
    expect(mints()).toEqual([])
  })
})

describe('cli: --app-jwt-file and --app-jwt-stdin', () => {
  test('token with --app-jwt-stdin; --app-jwt-file; never as a flag value', async () => {
    const { cwd } = newWorkdir(fake)
    const jwt = signJwt()
    const common = ['token', '--api-url', fake.url, '--owner', 'octo-org']
    const fromStdin = await runCli([...common, '--app-jwt-stdin'], { cwd, fake, stdin: jwt })
    expect(fromStdin.exitCode).toBe(0)
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ repositories: ['app'] })
    writeFileSync(join(cwd, 'app.jwt'), jwt, { mode: 0o600 })
    const fromFile = await runCli([...common, '--app-jwt-file', 'app.jwt'], { cwd, fake })
    expect(fromFile.exitCode).toBe(0)
    expect(mints()).toHaveLength(2)
    const onArgv = await runCli([...common, '--app-jwt', jwt], { cwd })
    expect(onArgv.exitCode).toBe(2)
    expect(onArgv.stderr).toContain('An App JWT is never taken as a flag value')
    expect(onArgv.stderr).not.toContain(jwt)
    for (const run of [fromStdin, fromFile]) expect(run.stdout + run.stderr).not.toContain(jwt)
  })
})
