import { openSqliteStore } from './sqlite-store.js'
import { DatabaseError, type BrokerStore } from './store.js'

/**
 * The store the config's `database` names, with every failure of it turned into a
 * DatabaseError: the broker answers 503 and mints nothing while its state can't be kept.
 */
export async function openStore(database: string, now: () => number): Promise<BrokerStore> {
  if (database.startsWith('sqlite:'))
    return guardStore(await openSqliteStore(database.slice(7), now))
  if (/^postgres(ql)?:\/\//.test(database)) {
    // Evaluated only for PostgreSQL, so a broker on SQLite never loads the driver.
    const { openPostgresStore } = await import(/* webpackMode: "eager" */ './postgres-store.js')
    return guardStore(await openPostgresStore(database, now))
  }
  throw new DatabaseError(`database ${database.split(':')[0]}: is not supported yet`)
}

export function guardStore(store: BrokerStore): BrokerStore {
  const guarded = {} as Record<string, unknown>
  for (const [name, method] of Object.entries(store) as [
    string,
    (...a: unknown[]) => Promise<unknown>
  ][]) {
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method(...args)
      } catch (error) {
        throw new DatabaseError(error instanceof Error ? error.message : String(error))
      }
    }
  }
  return guarded as unknown as BrokerStore
}
