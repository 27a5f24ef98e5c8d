import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

/**
 * The runner's worker, the process that runs a job's steps: the listener starts
 * `bin/Runner.Worker` (`Runner.Worker.exe` on Windows) for each job.
 * https://github.com/actions/runner/blob/main/src/Runner.Listener/JobDispatcher.cs
 */
const WORKER_NAMES = new Set(['Runner.Worker', 'Runner.Worker.exe'])

/** No real process tree is this deep; a bound all the same, should /proc lie in a loop. */
const MAX_HOPS = 64

/** A process's parent and the names it goes by: its kernel name and its argv[0]. */
export interface ProcessEntry {
  ppid: number
  names: string[]
}

/**
 * The pid of the runner's worker among the ancestors of `start` (by default this process's
 * parent), or undefined when there is none. The worker is not always the step's parent: a wrapper
 * (`sudo`, `time`, a shell) may stand between them, and in a `container:` job the runner starts
 * the step with `docker exec`, whose parent is outside the container (parent pid 0): there, no
 * ancestor can be seen at all.
 */
export function findRunnerWorker(
  start: number = process.ppid,
  entryOf: (pid: number) => ProcessEntry | undefined = processEntryReader()
): number | undefined {
  let pid = start
  for (let hop = 0; hop < MAX_HOPS && pid > 0; hop++) {
    const entry = entryOf(pid)
    if (!entry) return undefined
    if (entry.names.some((name) => WORKER_NAMES.has(name))) return pid
    pid = entry.ppid
  }
  return undefined
}

/** /proc on Linux; one `ps` listing elsewhere (macOS); nothing where neither works. */
function processEntryReader(): (pid: number) => ProcessEntry | undefined {
  if (process.platform === 'linux') return procEntry
  const entries = psEntries()
  return (pid) => entries.get(pid)
}

/** /proc/<pid>/stat is "pid (comm) S ppid …"; comm may hold spaces and parentheses. */
function procEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? ''
    return Number.isSafeInteger(ppid) ? { ppid, names: [comm, basename(argv0)] } : undefined
  } catch {
    return undefined
  }
}

/** macOS has no /proc: `ps` lists every process's parent and executable path at once. */
function psEntries(): Map<number, ProcessEntry> {
  const entries = new Map<number, ProcessEntry>()
  try {
    const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    for (const line of text.split('\n')) {
      const match = /^\s*(\d+)\s+(\d+)\s+(.+)$/.exec(line)
      if (match)
        entries.set(Number(match[1]), { ppid: Number(match[2]), names: [basename(match[3]!)] })
    }
  } catch {
    // No ps (Windows): no worker found; the post step and the deadline stop the refresher.
  }
  return entries
}
