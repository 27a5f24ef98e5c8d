import { REFRESHER_MARKER } from './refresher-marker.js'

/**
 * Node's flags for the refresher, which holds the App's private key for hours:
 * `--disable-sigusr1` so that `kill -USR1 <pid>` (which any later step of the job may send)
 * cannot open the inspector, through which the key could be read from the heap. The other way
 * to open one, `NODE_OPTIONS=--inspect`, is closed by the environment (see refresherEnv): Node
 * reads NODE_OPTIONS only from its environment, and the refresher's never has it.
 * https://nodejs.org/api/cli.html#--disable-sigusr1
 */
const NODE_FLAGS = ['--disable-sigusr1']

/**
 * Sets RLIMIT_CORE to 0 (soft and hard: it cannot be raised again), then becomes node: `exec`
 * keeps the pid, and the command line is node's own, marker and nonce included (stopRefresher
 * checks them). A crash must not write the key to disk in a core file.
 *
 * Why a shell: Node has neither setrlimit nor prctl(PR_SET_DUMPABLE). The packages that offer
 * them are native addons (`posix` compiles at install with node-gyp; `koffi` ships a binary per
 * platform), which dist/ would have to carry for every runner OS and CPU, for one system call
 * that every POSIX `sh` makes with `ulimit -c 0`, before node runs any code. The kernel writes no
 * core file under a 0 limit; a core_pattern that pipes to a handler ignores the limit by design
 * and leaves it to the handler, and systemd-coredump honours it.
 * https://man7.org/linux/man-pages/man5/core.5.html
 */
const NO_CORE_DUMPS = 'ulimit -c 0 && exec "$0" "$@"'

/** The refresher's command and arguments: node's, behind the shell above where there is one. */
export function refresherCommand(
  execPath: string,
  script: string,
  nonce: string,
  platform: NodeJS.Platform = process.platform
): { command: string; args: string[] } {
  const node = [execPath, ...NODE_FLAGS, script, REFRESHER_MARKER, nonce]
  // Windows has no sh and writes no core files of its own accord.
  if (platform === 'win32') return { command: node[0]!, args: node.slice(1) }
  return { command: '/bin/sh', args: ['-c', NO_CORE_DUMPS, ...node] }
}
