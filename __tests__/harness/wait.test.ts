import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { isGone, until, untilGone } from './wait.js'

/** The one way tests wait: for a condition, never for a time. */

describe('until', () => {
  test('returns what the check found, once it finds something', async () => {
    let calls = 0
    const found = await until('the third call', () => (++calls === 3 ? 'found' : undefined), {
      everyMs: 1
    })
    expect([found, calls]).toEqual(['found', 3])
  })

  test('names what it waited for when it gives up', async () => {
    await expect(
      until('a condition that never holds', () => false, { timeoutMs: 20 })
    ).rejects.toThrow('Timed out after 20 ms waiting for a condition that never holds')
  })
})

describe('isGone', () => {
  test('a running process is not gone; a zombie is, though kill -0 still finds it', async () => {
    // sh starts a short sleep, then becomes a long one, which never reaps the short one: the
    // short sleep stays a zombie for as long as the long one runs.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 60'])
    try {
      let output = ''
      parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const pid = await until('the short sleep to start', () => /^(\d+)\n/.exec(output)?.[1])
      expect(isGone(parent.pid!)).toBe(false)
      await untilGone(Number(pid))
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toMatch(/\) Z /)
      expect(process.kill(Number(pid), 0)).toBe(true)
    } finally {
      parent.kill('SIGKILL')
    }
  })

  test('a process that never existed is gone', () => {
    // Above the kernel's largest pid (2^22).
    expect(isGone(4_194_305)).toBe(true)
  })
})
