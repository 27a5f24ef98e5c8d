// What dist/post/index.js runs; see ../post/run.ts.
import { run } from '../post/run.js'

void run()
