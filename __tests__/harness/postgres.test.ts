import { existsSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { startPostgres } from './postgres.js'
import { isGone } from './wait.js'

const uidOf = (pid: number) =>
  Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])

describe('harness: startPostgres', () => {
  test('a server of its own with a password over TCP, never as root; nothing left after close', async () => {
    const postgres = await startPostgres()
    const pid = postgres.pid()!
    try {
      // PostgreSQL refuses root; run as root, the harness starts it as another user.
      expect(uidOf(pid)).not.toBe(0)
      const url = await postgres.createDatabase()
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db')
      await client.end()
      expect(rows).toEqual([{ db: 'broker_1' }])
      const refused = new pg.Client({ connectionString: url.replace(/:[^:@/]+@/, ':wrong@') })
      await expect(refused.connect()).rejects.toMatchObject({ code: '28P01' })
    } finally {
      await postgres.close()
    }
    expect(isGone(pid)).toBe(true)
    expect(existsSync(postgres.dir)).toBe(false)
  })
})
