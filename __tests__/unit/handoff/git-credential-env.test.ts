import { credentialHelperCommand } from '../../../src/lib/git/credential-helper-command.js'
import { gitCredentialEnv } from '../../../src/lib/git/git-credential-env.js'
import { originOf } from '../../../src/lib/git/origin-of.js'

/** The pure part of git-credentials: the variables to export, and those that undo them. */
const helper = (file: string) =>
  `!f() { test "$1" = get || return 0; test -r '${file}' || return 0; set +x; t=; IFS= read -r t < '${file}' || test -n "$t" || return 0; printf '::add-mask::%s\\n' "$t" >&2; echo username=x-access-token; printf 'password=%s\\n' "$t"; }; f`

describe('gitCredentialEnv', () => {
  test('no GIT_CONFIG_COUNT before: a reset and the helper, scoped to the origin', () => {
    const env = gitCredentialEnv({
      origin: 'https://github.com',
      tokenFile: '/runner/_temp/mint-token-x/token',
      environment: {}
    })
    expect(env).toEqual({
      exported: {
        GIT_CONFIG_KEY_0: 'credential.https://github.com.helper',
        GIT_CONFIG_VALUE_0: '',
        GIT_CONFIG_KEY_1: 'credential.https://github.com.helper',
        GIT_CONFIG_VALUE_1: helper('/runner/_temp/mint-token-x/token'),
        GIT_CONFIG_COUNT: '2'
      },
      undo: {
        GIT_CONFIG_KEY_0: '',
        GIT_CONFIG_VALUE_0: '',
        GIT_CONFIG_KEY_1: '',
        GIT_CONFIG_VALUE_1: '',
        GIT_CONFIG_COUNT: '0'
      }
    })
  })

  test('entries set before are kept: ours come after them, and undo restores their count', () => {
    const environment = {
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_2: 'http.userAgent',
      GIT_CONFIG_VALUE_2: 'earlier'
    }
    const env = gitCredentialEnv({ origin: 'https://github.com', tokenFile: '/t', environment })
    expect(Object.keys(env.exported).sort()).toEqual([
      'GIT_CONFIG_COUNT',
      'GIT_CONFIG_KEY_3',
      'GIT_CONFIG_KEY_4',
      'GIT_CONFIG_VALUE_3',
      'GIT_CONFIG_VALUE_4'
    ])
    expect(env.exported.GIT_CONFIG_COUNT).toBe('5')
    expect(env.undo).toEqual({
      GIT_CONFIG_KEY_3: '',
      GIT_CONFIG_VALUE_3: '',
      GIT_CONFIG_KEY_4: '',
      GIT_CONFIG_VALUE_4: '',
      GIT_CONFIG_COUNT: '3'
    })
  })

  test('an empty GIT_CONFIG_COUNT counts as none, as git reads it, and is restored as it was', () => {
    const env = gitCredentialEnv({
      origin: 'https://github.com',
      tokenFile: '/t',
      environment: { GIT_CONFIG_COUNT: '' }
    })
    expect(env.exported.GIT_CONFIG_COUNT).toBe('2')
    expect(env.exported.GIT_CONFIG_KEY_0).toBe('credential.https://github.com.helper')
    expect(env.undo.GIT_CONFIG_COUNT).toBe('')
  })

  test('the key is scoped to the origin of what it is given, nothing more', () => {
    const env = gitCredentialEnv({
      origin: 'HTTPS://GHES.Example.com:443/api/v3',
      tokenFile: '/t',
      environment: {}
    })
    expect(env.exported.GIT_CONFIG_KEY_1).toBe('credential.https://ghes.example.com.helper')
  })

  test.each(['2x', '-1', '99999999999999999999'])(
    'refuses a GIT_CONFIG_COUNT of %j, which git itself refuses',
    (count) => {
      expect(() =>
        gitCredentialEnv({
          origin: 'https://github.com',
          tokenFile: '/t',
          environment: { GIT_CONFIG_COUNT: count }
        })
      ).toThrow(
        `GIT_CONFIG_COUNT is '${count}' in the environment, which is not a count. Expected a whole number such as 0, as git does; fix the step that set it.`
      )
    }
  )
})

describe('credentialHelperCommand', () => {
  test('quotes a path with quotes in it for the shell', () => {
    expect(credentialHelperCommand(`/tmp/it's here/token`)).toContain(
      `read -r t < '/tmp/it'\\''s here/token'`
    )
  })

  test('refuses a path with a control character', () => {
    expect(() => credentialHelperCommand('/tmp/a\nb/token')).toThrow(
      "The token file path '/tmp/a b/token' contains a control character (a line break or tab?), which the git credential helper cannot carry safely. Choose a path without one."
    )
  })

  test('refuses a relative path', () => {
    expect(() => credentialHelperCommand('secrets/token')).toThrow(
      "The token file path 'secrets/token' is not absolute; the git credential helper needs an absolute path."
    )
  })
})

describe('originOf', () => {
  test.each([
    ['https://github.com', 'https://github.com'],
    ['https://GitHub.COM/', 'https://github.com'],
    ['https://github.com:443', 'https://github.com'],
    ['http://ghes.example:80/x', 'http://ghes.example'],
    ['https://ghes.example:8443/api/v3?x#y', 'https://ghes.example:8443'],
    ['https://user:secret@ghes.example', 'https://ghes.example'],
    ['http://127.0.0.1:41234', 'http://127.0.0.1:41234'],
    ['http://[::1]:8080', 'http://[::1]:8080']
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin)
  })

  test('refuses a URL of another scheme, naming where it came from, without the rest of it', () => {
    expect(() => originOf('ssh://git:secret@github.com', { name: 'GITHUB_SERVER_URL' })).toThrow(
      "GITHUB_SERVER_URL has the scheme 'ssh:', which is not http: or https:. Git credentials are configured for an http(s) server such as https://github.com."
    )
  })

  test('refuses what is not a URL', () => {
    expect(() => originOf('github.com')).toThrow(
      "The server URL is 'github.com', which is not a URL. Expected an http(s) URL such as https://github.com."
    )
  })
})
