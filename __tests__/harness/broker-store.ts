import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startPostgres, type TestPostgres } from './postgres.js'

/**
 * The stores every broker suite runs against: `describe.each(BROKER_STORES)('… (%s)', (store) =>
 * …)`, with the suite's database from `suiteDatabase(store)` in its beforeAll.
 */
export const BROKER_STORES = ['sqlite', 'postgres'] as const
export type BrokerStoreKind = (typeof BROKER_STORES)[number]

export interface SuiteDatabase {
  /**
   * broker.yaml's settings (brokerConfig's `extra`): none for SQLite (a file beside each
   * broker's config, one per broker), the suite's database for PostgreSQL (shared by them all).
   */
  config: Record<string, unknown>
  /** Everything stored, as text to search for secrets: the SQLite files, or pg_dump's output. */
  storedText(brokerDir: string): string
  postgres?: TestPostgres
  close(): Promise<void>
}

/** For PostgreSQL, a server of the suite's own (a few seconds to start) with one database. */
export async function suiteDatabase(kind: BrokerStoreKind): Promise<SuiteDatabase> {
  if (kind === 'sqlite')
    return {
      config: {},
      // WAL mode: what was written lately is in the -wal file until a checkpoint.
      storedText: (brokerDir) =>
        ['broker.db', 'broker.db-wal']
          .filter((name) => existsSync(join(brokerDir, name)))
          .map((name) => readFileSync(join(brokerDir, name)).toString('latin1'))
          .join('\n'),
      close: () => Promise.resolve()
    }
  const postgres = await startPostgres()
  const url = await postgres.createDatabase()
  return {
    config: { database: url },
    storedText: () => postgres.dump(url),
    postgres,
    close: () => postgres.close()
  }
}
