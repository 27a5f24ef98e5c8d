// What dist/main/index.js runs. The logic lives in ../main.ts, whose run() GitHub's
// @github/local-action also calls directly.
import { run } from '../main.js'

void run()
