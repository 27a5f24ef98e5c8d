// What dist/main/index.js runs. The logic lives in ../main/run.ts, whose run() GitHub's
// @github/local-action also calls directly.
import { run } from '../main/run.js'

void run()
