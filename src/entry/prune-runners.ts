// What dist/prune-runners/index.js runs (prune-runners/action.yml); see ../prune-runners.ts.
import { run } from '../prune-runners.js'

void run()
