// What dist/refresh/index.js runs: the token refresher, a detached process that startRefresher
// (src/lib/refresher-control/start-refresher.ts) spawns from the main step; see ./run.ts.
import { run } from './run.js'

// Exit as soon as it is done: the GitHub clients' keep-alive sockets would hold it a few seconds.
void run().finally(() => process.exit())
