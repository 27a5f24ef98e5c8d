import { jest } from '@jest/globals'
import { createQuietLog } from '../../../src/refresher/status.js'
import { parseRefresherConfig } from '../../../src/refresher/config.js'
import type { RefresherConfig } from '../../../src/lib/refresher-control/refresher-config.js'
import { refresherEnv } from '../../../src/lib/refresher-control/refresher-env.js'
import { appKeyPair } from '../../fake-github/keys.js'

/** What the refresher is handed (stdin, environment) and how it logs without printing. */

const KEY = appKeyPair().privateKeyPem
const CONFIG: RefresherConfig = {
  apiUrl: 'https://api.github.com',
  appId: 'Iv23liExample',
  privateKey: KEY,
  installationId: 1000,
  repositories: ['app'],
  permissions: { contents: 'read' },
  tokenFormat: 'classic',
  tokenFile: '/runner/_temp/mint-token-x/token',
  expiresAt: '2026-06-01T13:00:00Z',
  mintedAt: '2026-06-01T12:00:00.123Z',
  clockOffsetMs: -7_200_000,
  statusFile: '/runner/_temp/mint-token-refresh-x/status.json',
  workerPid: 4242,
  deadline: '2026-06-01T18:00:00.000Z'
}
const parse = (change: Record<string, unknown>) =>
  parseRefresherConfig(JSON.stringify({ ...CONFIG, ...change }))

describe('refresh: the configuration on stdin', () => {
  test('a complete one is taken as it is', () => {
    expect(parse({})).toEqual({ ok: true, config: CONFIG })
    const all = parse({ repositories: undefined, permissions: undefined, tokenFormat: undefined })
    expect(all.ok).toBe(true)
    // No runner worker in sight (a container job): SIGTERM and the deadline stop the refresher.
    expect(parse({ workerPid: undefined })).toEqual({
      ok: true,
      config: { ...CONFIG, workerPid: undefined }
    })
  })

  test.each([
    [{ apiUrl: 'ftp://x' }, "configuration field 'apiUrl' is not an http(s) URL"],
    [{ appId: '' }, "configuration field 'appId' is not an App ID or Client ID"],
    [{ installationId: '1000' }, "configuration field 'installationId' is not a positive integer"],
    [{ tokenFile: 'token' }, "configuration field 'tokenFile' is not an absolute path"],
    [{ expiresAt: 'soon' }, "configuration field 'expiresAt' is not an ISO 8601 time"],
    [{ clockOffsetMs: '0' }, "configuration field 'clockOffsetMs' is not a number of milliseconds"],
    [{ workerPid: -1 }, "configuration field 'workerPid' is not a positive integer"],
    [{ workerPid: 0 }, "configuration field 'workerPid' is not a positive integer"],
    [{ deadline: undefined }, "configuration field 'deadline' is not an ISO 8601 time"],
    [{ repositories: [] }, "configuration field 'repositories' is not a list of repository names"],
    [
      { permissions: { contents: 1 } },
      "configuration field 'permissions' is not an object of permission levels"
    ],
    [{ tokenFormat: 'jwt' }, "configuration field 'tokenFormat' is not 'stateless' or 'classic'"],
    [{ privateKey: 'nope' }, "configuration field 'privateKey' is not a PEM private key"]
  ])('%j is refused, naming the field', (change, problem) => {
    expect(parse(change)).toEqual({ ok: false, problem, statusFile: CONFIG.statusFile })
  })

  test('not JSON, or not an object: no status file to report to', () => {
    expect(parseRefresherConfig('{')).toEqual({
      ok: false,
      problem: 'the configuration on stdin is not JSON'
    })
    expect(parseRefresherConfig('[1]')).toEqual({
      ok: false,
      problem: 'the configuration on stdin is not a JSON object'
    })
  })
})

describe('refresh: the environment it inherits', () => {
  test('PATH, HOME, proxies, CA certificates, RUNNER_TEMP and the tracking ID; no input, no file command', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/runner',
      https_proxy: 'http://proxy:3128',
      HTTP_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      RUNNER_TEMP: '/runner/_temp',
      RUNNER_TRACKING_ID: 'github_0f3c',
      'INPUT_PRIVATE-KEY': KEY,
      INPUT_PRIVATE_KEY: KEY,
      GITHUB_ENV: '/runner/_temp/_runner_file_commands/set_env',
      GITHUB_OUTPUT: '/runner/_temp/_runner_file_commands/set_output',
      GITHUB_STATE: '/runner/_temp/_runner_file_commands/save_state',
      ACTIONS_RUNTIME_TOKEN: 'secret'
    }
    expect(refresherEnv(env)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      https_proxy: 'http://proxy:3128',
      HTTP_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      RUNNER_TEMP: '/runner/_temp',
      RUNNER_TRACKING_ID: 'github_0f3c'
    })
  })
})

describe('refresh: its log', () => {
  test('masked, one line each, the last 20 kept, nothing printed', () => {
    const write = jest.spyOn(process.stdout, 'write')
    const errors = jest.spyOn(process.stderr, 'write')
    const core = createQuietLog(() => Date.parse('2026-06-01T12:00:00Z'))
    core.mask('ghs_secret')
    core.warning('refused ghs_secret\n::error::forged')
    expect(core.lines).toEqual(['2026-06-01T12:00:00.000Z warning: refused *** ::error::forged'])
    for (let i = 0; i < 25; i++) core.info(`line ${i}`)
    expect(core.lines).toHaveLength(20)
    expect(core.lines[19]).toBe('2026-06-01T12:00:00.000Z info: line 24')
    core.debug('z')
    expect(write).not.toHaveBeenCalled()
    expect(errors).not.toHaveBeenCalled()
    write.mockRestore()
    errors.mockRestore()
  })
})
