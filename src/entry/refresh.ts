// What dist/refresh/index.js runs: the token refresher, a detached process that startRefresher
// (src/refresh/start-refresher.ts) spawns from the main step; see ../refresh.ts.
import { run } from '../refresh.js'

// Exit as soon as it is done: the GitHub clients' keep-alive sockets would hold it a few seconds.
void run().finally(() => process.exit())
