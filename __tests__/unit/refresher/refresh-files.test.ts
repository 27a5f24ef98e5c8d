import {
  accessSync,
  chmodSync,
  constants,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { tokenHash } from '../../../src/lib/installation/token-hash.js'
import { readRefreshStatus } from '../../../src/lib/refresher-control/read-refresh-status.js'
import type { RefreshStatus } from '../../../src/lib/refresher-control/refresh-status.js'
import { replaceTokenFile } from '../../../src/refresher/token-file.js'
import { tokenFileIdentity } from '../../../src/lib/refresher-control/token-file-identity.js'
import { writeRefreshStatus } from '../../../src/lib/refresher-control/write-refresh-status.js'

/** The refresher's two files: the token file, replaced by a rename, and its status file. */

const dir = () => mkdtempSync(join(tmpdir(), 'mint-token-refresh-files-'))
const OLD = `ghs_${'a'.repeat(36)}`
const NEW = `ghs_${'b'.repeat(36)}`

function tokenFile(content = OLD): string {
  const file = join(dir(), 'token')
  writeFileSync(file, content, { mode: 0o600 })
  return file
}

/**
 * Another thread re-opens the path and reads it as fast as it can, until told to stop. It reads
 * 8 bytes at a time, as a reader with a small buffer does (dash's `read` builtin takes a byte
 * per call): the reads of one opened file then span the writer's work, so a file rewritten in
 * place would show parts of two tokens. Each token the writer puts there is `ghs_` and 36 times
 * one letter, so a read that is anything else is a mix (or a part of a token). Counts: reads,
 * changes of token between two reads, mixes, empty reads, and opens that found no file.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads')
const { closeSync, openSync, readSync } = require('node:fs')
const flags = new Int32Array(workerData.flags)
const counts = { reads: 0, changes: 0, mixes: 0, empty: 0, missing: 0, examples: [] }
const chunk = Buffer.alloc(8)
let last = ''
const readWhole = (fd) => {
  let text = ''
  for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; )
    text += chunk.toString('latin1', 0, n)
  return text
}
Atomics.store(flags, 1, 1)
while (Atomics.load(flags, 0) === 0) {
  let fd
  try {
    fd = openSync(workerData.file, 'r')
  } catch {
    counts.missing++
    continue
  }
  const text = readWhole(fd)
  closeSync(fd)
  counts.reads++
  if (text === '') counts.empty++
  else if (!/^ghs_([a-z])\\1{35}$/.test(text)) {
    counts.mixes++
    if (counts.examples.length < 3) counts.examples.push(text)
  } else if (text !== last) Atomics.store(flags, 2, ++counts.changes)
  last = text
}
parentPort.postMessage(counts)
`

interface ReaderCounts {
  reads: number
  changes: number
  mixes: number
  empty: number
  missing: number
  examples: string[]
}

function startReader(file: string) {
  // [0] stop, [1] started, [2] reads so far.
  const flags = new Int32Array(new SharedArrayBuffer(12))
  const worker = new Worker(READER, { eval: true, workerData: { file, flags: flags.buffer } })
  const done = new Promise<ReaderCounts>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    started: () => Atomics.load(flags, 1) === 1,
    changes: () => Atomics.load(flags, 2),
    stop: async () => {
      Atomics.store(flags, 0, 1)
      const counts = await done
      await worker.terminate()
      return counts
    }
  }
}

/** /dev/shm (tmpfs) when it is there and writable, else the temp directory. */
function fastTemp(): string {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return '/dev/shm'
  } catch {
    return tmpdir()
  }
}

const letter = (i: number) => String.fromCharCode(97 + (i % 26))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('refresh: the token file is replaced by a rename', () => {
  test('a new file of mode 0600 holding exactly the new token, no newline, no file left over', () => {
    const file = tokenFile()
    const before = tokenFileIdentity(file)
    const after = replaceTokenFile(file, NEW, before)
    expect(readFileSync(file, 'utf8')).toBe(NEW)
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
    // A new inode, which the next replace checks for: the old identity no longer matches.
    expect(after).toEqual(tokenFileIdentity(file))
    expect(after.ino).not.toBe(before.ino)
    expect(() => replaceTokenFile(file, OLD, before)).toThrow(
      'the token file was deleted or replaced by another file; it is left as it is'
    )
    expect(readdirSync(join(file, '..'))).toEqual(['token'])
  })

  test('a reader that re-opens the path never sees a mix, an empty or a missing file, over 20000 renames', async () => {
    // On tmpfs where there is one: ext4 flushes a file renamed over another (auto_da_alloc),
    // about 2 ms each here, which a refresh an hour does not notice but 20000 would. What is
    // tested, that a path names the old file or the new one, is the kernel's rename, on any
    // file system; the end-to-end tests run it on the runner's temp directory.
    const file = join(mkdtempSync(join(fastTemp(), 'mint-token-renames-')), 'token')
    writeFileSync(file, `ghs_${'z'.repeat(36)}`, { mode: 0o600 })
    const reader = startReader(file)
    while (!reader.started()) await sleep(5)
    let identity = tokenFileIdentity(file)
    const started = performance.now()
    let renames = 0
    // At least 20000 renames, and on until the reader saw the token change 500 times: on busy
    // cores the two threads may mostly take turns, and the property is about reads that race
    // renames. (Here: 60 to 2000 changes per 20000 renames.)
    while (renames < 20_000 || (reader.changes() < 500 && renames < 300_000))
      identity = replaceTokenFile(file, `ghs_${letter(renames++).repeat(36)}`, identity)
    const ms = performance.now() - started
    const counts = await reader.stop()
    console.log(
      `token file: ${renames} renames in ${Math.round(ms)} ms, ${counts.reads} reads, ${counts.changes} changes seen`
    )
    expect(counts).toMatchObject({ mixes: 0, empty: 0, missing: 0, examples: [] })
    // The reads did race the renames: the reader saw the token change many times.
    expect(counts.changes).toBeGreaterThanOrEqual(500)
    expect(readdirSync(join(file, '..'))).toEqual(['token'])
    rmSync(join(file, '..'), { recursive: true })
  }, 120_000)

  test('a token file deleted, or another file or a link put there, is left as it is', () => {
    const file = tokenFile()
    const identity = tokenFileIdentity(file)
    const other = join(dir(), 'other')
    writeFileSync(other, 'not ours')
    renameSync(other, file)
    const gone = 'the token file was deleted or replaced by another file; it is left as it is'
    expect(() => replaceTokenFile(file, NEW, identity)).toThrow(gone)
    expect(readFileSync(file, 'utf8')).toBe('not ours')
    rmSync(file)
    symlinkSync(other, file)
    expect(() => replaceTokenFile(file, NEW, identity)).toThrow(gone)
    expect(lstatSync(file).isSymbolicLink()).toBe(true)
    rmSync(file)
    expect(() => replaceTokenFile(file, NEW, identity)).toThrow(gone)
    expect(readdirSync(join(file, '..'))).toEqual([])
  })

  test('a symlink is never taken for the token file', () => {
    const file = tokenFile()
    const link = join(dir(), 'link')
    symlinkSync(file, link)
    expect(() => tokenFileIdentity(link)).toThrow('the token file is not a regular file')
    expect(() => replaceTokenFile(link, NEW, tokenFileIdentity(file))).toThrow(
      'the token file was deleted or replaced by another file; it is left as it is'
    )
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
  tokenHashes: [tokenHash('first'), tokenHash('second'), tokenHash('third')],
  current: { hash: tokenHash('third'), dev: 2049, ino: 131077 },
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
      revocationFailures: 1,
      expiresAt: '2026-06-01T13:50:00Z',
      tokenHashes: STATUS.tokenHashes,
      current: { ...STATUS.current, revoked: false }
    })
  })

  test('missing or malformed: no refreshes, no failures, no token', () => {
    const none = { refreshes: 0, failures: 0, revocationFailures: 0, tokenHashes: [] }
    expect(readRefreshStatus(join(dir(), 'missing.json'))).toEqual(none)
    const file = join(dir(), 'status.json')
    writeFileSync(file, '{ "refreshes": 2, "fail')
    expect(readRefreshStatus(file)).toEqual(none)
    writeFileSync(file, JSON.stringify({ refreshes: -1, failures: '3', lastError: 7 }))
    expect(readRefreshStatus(file)).toEqual(none)
    // It picks the file the post step reads and deletes, and goes to the log: each field is
    // what the refresher writes, or it is dropped.
    const hash = tokenHash('t')
    for (const bad of [
      { tokenHashes: [hash, 'ghs_not-a-hash'] },
      { current: { hash: 'ghs_0123', dev: 1, ino: 2 } },
      { current: { hash, dev: -1, ino: 2 } },
      { current: { hash, dev: 1, ino: '2' } },
      { expiresAt: '2026-06-01T13:50:00Z\n::error::forged' },
      { stopReason: 'token file gone\n::error::forged' }
    ]) {
      writeFileSync(file, JSON.stringify(bad))
      expect(readRefreshStatus(file)).toEqual(none)
    }
  })

  test('a last error that would start a workflow command is flattened', () => {
    const file = join(dir(), 'status.json')
    writeFileSync(file, JSON.stringify({ ...STATUS, lastError: 'HTTP 502\n::error::forged' }))
    expect(readRefreshStatus(file).lastError).toBe('HTTP 502 ::error::forged')
  })
})
