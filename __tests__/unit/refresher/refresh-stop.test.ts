import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { commandLineOf } from '../../../src/lib/refresher-control/command-line-of.js'
import { REFRESHER_MARKER } from '../../../src/lib/refresher-control/refresher-marker.js'
import { stopRefresher } from '../../../src/lib/refresher-control/stop-refresher.js'

/** The post step's stop: only our process, SIGTERM first, SIGKILL as the last resort. */

const NODE = join(resolve(import.meta.dirname, '../../..'), 'node_modules/.bin/node')

const children: ChildProcess[] = []
afterAll(() => children.forEach((child) => child.kill('SIGKILL')))

/**
 * A stand-in process with the refresher's marker and a nonce on its command line, returned once
 * its code has run (it prints a line then): a SIGTERM handler is in place before any signal.
 */
async function standIn(nonce: string, code = ''): Promise<number> {
  const script = `${code}; console.log('ready'); setInterval(() => {}, 1000)`
  const child = spawn(NODE, ['-e', script, '--', REFRESHER_MARKER, nonce], {
    stdio: ['ignore', 'pipe', 'ignore']
  })
  children.push(child)
  await new Promise((r) => child.stdout.once('data', r))
  return child.pid!
}
/** Whether it still exists, once node has reaped it (a zombie still answers kill(pid, 0)). */
const alive = async (pid: number) => {
  const child = children.find((c) => c.pid === pid)
  if (child && child.exitCode === null && child.signalCode === null)
    await Promise.race([
      new Promise((r) => child.once('exit', r)),
      new Promise((r) => setTimeout(r, 500))
    ])
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('refresh: stopping the refresher', () => {
  test('ours: SIGTERM, and it is gone', async () => {
    const pid = await standIn('n1')
    expect(await stopRefresher({ pid, nonce: 'n1' })).toBe('stopped')
    expect(await alive(pid)).toBe(false)
  })

  test('another nonce, or no marker: not ours, left running', async () => {
    const pid = await standIn('n2')
    expect(await stopRefresher({ pid, nonce: 'n3' })).toBe('not ours')
    expect(await stopRefresher({ pid, nonce: '' })).toBe('not ours')
    expect(await stopRefresher({ pid: process.pid, nonce: 'n2' })).toBe('not ours')
    expect(await alive(pid)).toBe(true)
  })

  test('gone already, or no such pid: not running', async () => {
    const pid = await standIn('n4')
    process.kill(pid, 'SIGKILL')
    await new Promise((r) => setTimeout(r, 200))
    expect(await stopRefresher({ pid, nonce: 'n4' })).toBe('not running')
    expect(await stopRefresher({ pid: 0, nonce: 'n4' })).toBe('not running')
    expect(await stopRefresher({ pid: 2 ** 22 + 1, nonce: 'n4' })).toBe('not running')
  })

  test('one that ignores SIGTERM is killed after the wait', async () => {
    const pid = await standIn('n5', "process.on('SIGTERM', () => {})")
    const started = Date.now()
    expect(await stopRefresher({ pid, nonce: 'n5' }, { timeoutMs: 300 })).toBe('stopped')
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(await alive(pid)).toBe(false)
  })
})

describe('refresh: reading a command line', () => {
  test('/proc on Linux, ps elsewhere: the same arguments', async () => {
    const pid = await standIn('n6')
    const linux = commandLineOf(pid, 'linux')
    expect(linux?.slice(-2)).toEqual([REFRESHER_MARKER, 'n6'])
    expect(commandLineOf(pid, 'darwin')?.slice(-2)).toEqual([REFRESHER_MARKER, 'n6'])
    expect(commandLineOf(2 ** 22 + 1, 'linux')).toBeUndefined()
    expect(commandLineOf(2 ** 22 + 1, 'darwin')).toBeUndefined()
  })
})
