import {
  findRunnerWorker,
  type ProcessEntry
} from '../../../src/lib/refresher-control/find-runner-worker.js'

/**
 * Finding the runner's worker among a step's ancestors, over process tables given as maps; the
 * real process trees (a wrapper, a PID namespace) are in e2e-refresher-process.test.ts.
 */

const tree = (entries: Record<number, ProcessEntry>) => (pid: number) => entries[pid]

describe('refresh: the runner worker among the ancestors', () => {
  test('found past a wrapper, by its kernel name or its argv[0]', () => {
    const table = {
      40: { ppid: 30, names: ['timeout', 'timeout'] },
      30: { ppid: 20, names: ['Runner.Worker', 'Runner.Worker'] },
      20: { ppid: 1, names: ['Runner.Listener', 'Runner.Listener'] },
      1: { ppid: 0, names: ['systemd', 'systemd'] }
    }
    expect(findRunnerWorker(40, tree(table))).toBe(30)
    expect(findRunnerWorker(30, tree(table))).toBe(30)
    // Windows' name, seen in argv[0] only (a renamed main thread hides the kernel name).
    expect(findRunnerWorker(7, tree({ 7: { ppid: 0, names: ['x', 'Runner.Worker.exe'] } }))).toBe(7)
  })

  test('none: parent pid 0 (docker exec), an unreadable ancestor, a loop, a look-alike name', () => {
    expect(findRunnerWorker(0, tree({}))).toBeUndefined()
    expect(findRunnerWorker(5, tree({ 5: { ppid: 6, names: ['sh', 'sh'] } }))).toBeUndefined()
    const loop = { 8: { ppid: 9, names: ['a', 'a'] }, 9: { ppid: 8, names: ['b', 'b'] } }
    expect(findRunnerWorker(8, tree(loop))).toBeUndefined()
    const alike = { 3: { ppid: 0, names: ['Runner.Worker2', 'my-Runner.Worker'] } }
    expect(findRunnerWorker(3, tree(alike))).toBeUndefined()
  })
})
