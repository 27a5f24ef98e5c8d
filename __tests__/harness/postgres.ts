import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'

/**
 * A real PostgreSQL server for one suite: `initdb` into a temporary directory, `postgres` on
 * 127.0.0.1 at a free port (and a Unix socket in that directory), then removed with everything
 * it wrote. Over TCP the test user `mint` logs in with a password (as a deployed broker would, so
 * the tests can check that the password never reaches a log); over the socket, trust.
 */
export interface TestPostgres {
  port: number
  /** The temporary directory: the cluster, and the socket. */
  dir: string
  /** The server's process (postmaster) while it runs. */
  pid(): number | undefined
  /** The test user's password (random, with characters a URL must percent-encode). */
  password: string
  /** A new, empty database; its postgres:// URL with the user and password. */
  createDatabase(): Promise<string>
  /** Everything a database holds, as pg_dump prints it (to look for secrets). */
  dump(url: string): string
  /** Stops the server (fast shutdown: sessions are ended), keeping its data for `start`. */
  stop(): Promise<void>
  /** Starts the stopped server again, on the same port. */
  start(): Promise<void>
  /** Stops the server and removes its directory. */
  close(): Promise<void>
}

const USER = 'mint'

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir()
  const owner = serverOwner()
  const dir = mkdtempSync(join(tmpdir(), 'mint-token-pg-'))
  if (owner) chownSync(dir, owner.uid, owner.gid)
  const password = `${randomBytes(12).toString('base64url')}/@:%`
  initdb(bin, dir, password, owner)
  let server = await listen(bin, dir, owner, await freePort(), { retries: 3 })
  // A suite that fails before its afterAll must not leave a server behind.
  const onExit = () => server.child.kill('SIGQUIT')
  process.on('exit', onExit)
  const adminUrl = urlOf(password, server.port, 'postgres')
  let databases = 0
  return {
    port: server.port,
    dir,
    pid: () => server.child.pid,
    password,
    createDatabase: async () => {
      const name = `broker_${++databases}`
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return urlOf(password, server.port, name)
    },
    dump: (url) => run(join(bin, 'pg_dump'), ['--data-only', '--dbname', url]),
    stop: () => stopServer(server.child),
    start: async () => {
      server = await listen(bin, dir, owner, server.port)
    },
    close: async () => {
      await stopServer(server.child)
      process.off('exit', onExit)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

const urlOf = (password: string, port: number, database: string) =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`

/**
 * Where initdb and postgres are: PATH first (a packaged or self-built PostgreSQL, or a link to
 * one), then Debian's versioned folders (the `postgresql` package puts nothing on PATH), newest
 * first. A link on PATH is followed, as postgres lives beside the real initdb.
 */
export function postgresBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'initdb'))) return dirname(realpathSync(join(dir, 'initdb')))
  }
  const debian = '/usr/lib/postgresql'
  const versions = existsSync(debian) ? readdirSync(debian) : []
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    if (existsSync(join(debian, version, 'bin', 'initdb'))) return join(debian, version, 'bin')
  }
  throw new Error(
    'initdb was not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL (Debian: apt-get install postgresql, as .ci/run does).'
  )
}

interface Owner {
  uid: number
  gid: number
}

/**
 * PostgreSQL refuses to run as root. Run as root (a CI container), the server runs as the
 * `postgres` user the Debian package creates, else as `nobody`: the child is started with that
 * uid and gid (Node's spawn), no su or sudo needed. initdb looks the uid up, so it must exist.
 */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined
  const users = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
  const user = users.find((u) => u[0] === 'postgres') ?? users.find((u) => u[0] === 'nobody')
  if (!user) throw new Error('running as root, and no postgres or nobody user to run PostgreSQL as')
  return { uid: Number(user[2]), gid: Number(user[3]) }
}

function run(file: string, args: string[], owner?: Owner): string {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' }
  const result = spawnSync(file, args, { env, encoding: 'utf8', ...owner })
  if (result.status !== 0)
    throw new Error(`${file} failed (${result.status}): ${result.error ?? result.stderr}`)
  return result.stdout
}

/** A cluster without fsync (throwaway data starts faster); trust on the socket, a password on TCP. */
function initdb(bin: string, dir: string, password: string, owner?: Owner) {
  const pwfile = join(dir, 'password')
  writeFileSync(pwfile, password, { mode: 0o600 })
  if (owner) chownSync(pwfile, owner.uid, owner.gid)
  run(
    join(bin, 'initdb'),
    [
      ...['--pgdata', join(dir, 'data'), '--username', USER, '--pwfile', pwfile],
      ...['--auth-local', 'trust', '--auth-host', 'scram-sha-256'],
      ...['--encoding', 'UTF8', '--locale', 'C', '--no-sync', '--no-instructions']
    ],
    owner
  )
  rmSync(pwfile)
}

/** A port nobody listens on now; `listen` tries another if it is taken by the time postgres binds. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts `postgres` (a child of the test process, so the suite owns it) and waits for it to say
 * it accepts connections. On the first start, a port taken since it was picked means another.
 */
async function listen(
  bin: string,
  dir: string,
  owner: Owner | undefined,
  port: number,
  { retries = 0 } = {}
): Promise<{ child: ChildProcess; port: number }> {
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']
  const child = spawn(
    join(bin, 'postgres'),
    [
      ...['-D', join(dir, 'data'), '-p', String(port), '-h', '127.0.0.1', '-k', dir],
      ...settings.flatMap((setting) => ['-c', setting])
    ],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
      ...owner
    }
  )
  let log = ''
  const ready = await new Promise<boolean>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('ready to accept connections')) resolve(true)
    })
    child.once('exit', () => resolve(false))
  })
  if (ready) return { child, port }
  if (retries > 0 && /could not bind|in use/i.test(log))
    return listen(bin, dir, owner, await freePort(), { retries: retries - 1 })
  throw new Error(`postgres did not start:\n${log}`)
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGINT')
  await exited
}
