import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tokenReaderScript } from '../../../src/lib/handoff/write-token-reader.js'

/** mint-token-read as the shells a job may have run it: dash (Debian's sh) and bash as sh. */
const TOKEN = 'ghs_' + 'Z9y8X7w6'.repeat(5)
let dir: string
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mint-token-reader-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function readWith(shell: string, tokenFile: string) {
  const reader = join(dir, 'mint-token-read')
  writeFileSync(reader, tokenReaderScript(tokenFile), { mode: 0o700 })
  const args = shell === 'bash' ? ['--posix', reader] : [reader]
  return spawnSync(shell, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } })
}

describe.each(['dash', 'bash'])('mint-token-read under %s', (shell) => {
  test('a path with quotes, spaces, $ and backquotes: the mask, then the token exactly', () => {
    const odd = join(dir, `it's a "token" $HOME \`id\``)
    mkdirSync(odd)
    writeFileSync(join(odd, 'token'), TOKEN)
    const run = readWith(shell, join(odd, 'token'))
    expect([run.status, run.stdout, run.stderr]).toEqual([0, TOKEN, `::add-mask::${TOKEN}\n`])
  })

  test('a trace inherited through SHELLOPTS (bash) is off before the token is printed', () => {
    const file = join(dir, 'token')
    writeFileSync(file, TOKEN)
    const reader = join(dir, 'mint-token-read')
    writeFileSync(reader, tokenReaderScript(file), { mode: 0o700 })
    const env = { PATH: '/usr/bin:/bin', SHELLOPTS: 'xtrace' }
    const run = spawnSync(shell, [reader], { encoding: 'utf8', env })
    expect(run.status).toBe(0)
    expect(run.stderr.indexOf(TOKEN)).toBe(run.stderr.indexOf('::add-mask::') + 12)
  })

  test.each([
    ['a missing', undefined],
    ['an empty', '']
  ])('%s file: exit 1, a message naming the file, no mask', (_what, content) => {
    const file = join(dir, 'token')
    if (content !== undefined) writeFileSync(file, content)
    const run = readWith(shell, file)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).not.toContain('::add-mask::')
    expect(run.stderr).toContain(
      `mint-token-read: no token in ${file} (the post step deletes it at the end of the job)\n`
    )
  })
})
