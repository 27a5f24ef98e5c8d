// What dist/revoke/index.js runs (revoke/action.yml); see ../revoke/run.ts.
import { run } from '../revoke/run.js'

void run()
