// What dist/prune-runners/index.js runs (prune-runners/action.yml); see ../prune-runners/run.ts.
import { run } from '../prune-runners/run.js'

void run()
