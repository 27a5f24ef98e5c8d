import { spawn } from 'node:child_process'
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readRefreshStatus } from '../src/refresh/read-refresh-status.js'
import type { RefreshStatus } from '../src/refresh/refresh-status.js'
import { rewriteTokenFile } from '../src/refresh/rewrite-token-file.js'
import { tokenFileIdentity } from '../src/refresh/token-file-identity.js'
import { writeRefreshStatus } from '../src/refresh/write-refresh-status.js'

/** The refresher's two files: the token file, rewritten in place, and its status file. */

/** Reads the file in a loop; prints 'reading' once, then each read that is not one of the tokens. */
const READER = `
const { readFileSync } = require('node:fs')
const [file, ...tokens] = process.argv.slice(1)
process.stdout.write('reading\\n')
process.on('SIGTERM', () => process.exit(0))
const loop = () => {
  for (let i = 0; i < 200; i++) {
    const text = readFileSync(file, 'utf8')
    if (!tokens.includes(text)) process.stdout.write(JSON.stringify(text) + '\\n')
  }
  setImmediate(loop)
}
loop()
`

const dir = () => mkdtempSync(join(tmpdir(), 'mint-token-refresh-files-'))
const OLD = `ghs_${'a'.repeat(36)}`
const NEW = `ghs_${'b'.repeat(36)}`

function tokenFile(content = OLD): string {
  const file = join(dir(), 'token')
  writeFileSync(file, content, { mode: 0o600 })
  return file
}

describe('refresh: the token file is rewritten in place', () => {
  test('same inode and mode, exactly the new token, no newline', () => {
    const file = tokenFile()
    const before = lstatSync(file)
    rewriteTokenFile(file, NEW, tokenFileIdentity(file))
    const after = lstatSync(file)
    expect(readFileSync(file, 'utf8')).toBe(NEW)
    expect([after.ino, after.dev, after.mode & 0o777]).toEqual([before.ino, before.dev, 0o600])
  })

  test('a reader never sees an empty file or a mix, over 5000 rewrites', async () => {
    const file = tokenFile()
    const identity = tokenFileIdentity(file)
    // Another process reads as fast as it can, as a container's `cat` would, and prints anything
    // that is neither token.
    const reader = spawn(process.execPath, ['-e', READER, file, OLD, NEW], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let report = ''
    reader.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()))
    await new Promise((r) => reader.stdout.once('data', r))
    for (let i = 0; i < 5000; i++) rewriteTokenFile(file, i % 2 ? OLD : NEW, identity)
    reader.kill('SIGTERM')
    await new Promise((r) => reader.once('exit', r))
    const [ready, ...bad] = report.split('\n').filter(Boolean)
    expect(ready).toBe('reading')
    expect(bad).toEqual([])
  })

  test('a shorter token leaves no tail of the longer one', () => {
    const file = tokenFile(`ghs_${'x'.repeat(500)}`)
    rewriteTokenFile(file, NEW, tokenFileIdentity(file))
    expect(readFileSync(file, 'utf8')).toBe(NEW)
  })

  test('a file put in its place is left alone', () => {
    const file = tokenFile()
    const identity = tokenFileIdentity(file)
    const other = join(dir(), 'other')
    writeFileSync(other, 'not ours')
    renameSync(other, file)
    expect(() => rewriteTokenFile(file, NEW, identity)).toThrow(
      'the token file was replaced by another file; it is left as it is'
    )
    expect(readFileSync(file, 'utf8')).toBe('not ours')
  })

  test('a symlink is never followed', () => {
    const file = tokenFile()
    const link = join(dir(), 'link')
    symlinkSync(file, link)
    expect(() => tokenFileIdentity(link)).toThrow('the token file is not a regular file')
    expect(() => rewriteTokenFile(link, NEW, tokenFileIdentity(file))).toThrow(/ELOOP/)
    expect(readFileSync(file, 'utf8')).toBe(OLD)
  })
})

const STATUS: RefreshStatus = {
  pid: 4242,
  state: 'running',
  startedAt: '2026-06-01T12:00:00.000Z',
  updatedAt: '2026-06-01T12:50:00.000Z',
  refreshes: 3,
  failures: 2,
  lastError: 'HTTP 502: Server Error',
  revocations: 3,
  revocationFailures: 1,
  expiresAt: '2026-06-01T13:50:00Z',
  log: []
}

describe('refresh: the status file', () => {
  test('written with mode 0600 and no temporary file left, read back for the summary', () => {
    const file = join(dir(), 'status.json')
    writeRefreshStatus(file, STATUS)
    // Even over a temporary file left world-readable by a crash.
    writeFileSync(`${file}.${process.pid}.tmp`, '')
    chmodSync(`${file}.${process.pid}.tmp`, 0o644)
    writeRefreshStatus(file, { ...STATUS, refreshes: 4 })
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(file, '..'))).toEqual(['status.json'])
    expect(readRefreshStatus(file)).toEqual({
      refreshes: 4,
      failures: 2,
      lastError: 'HTTP 502: Server Error',
      revocationFailures: 1
    })
  })

  test('missing or malformed: no refreshes, no failures', () => {
    const none = { refreshes: 0, failures: 0, revocationFailures: 0 }
    expect(readRefreshStatus(join(dir(), 'missing.json'))).toEqual(none)
    const file = join(dir(), 'status.json')
    writeFileSync(file, '{ "refreshes": 2, "fail')
    expect(readRefreshStatus(file)).toEqual(none)
    writeFileSync(file, JSON.stringify({ refreshes: -1, failures: '3', lastError: 7 }))
    expect(readRefreshStatus(file)).toEqual(none)
  })

  test('a last error that would start a workflow command is flattened', () => {
    const file = join(dir(), 'status.json')
    writeFileSync(file, JSON.stringify({ ...STATUS, lastError: 'HTTP 502\n::error::forged' }))
    expect(readRefreshStatus(file).lastError).toBe('HTTP 502 ::error::forged')
  })
})
