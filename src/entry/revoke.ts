// What dist/revoke/index.js runs (revoke/action.yml); see ../revoke.ts.
import { run } from '../revoke.js'

void run()
