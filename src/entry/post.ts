// What dist/post/index.js runs; see ../post.ts.
import { run } from '../post.js'

void run()
