// What dist/cli/index.js runs: `mint-token …`. The logic lives in ./main.ts.
import { processIo } from './seam/io.js'
import { main } from './main.js'

// Exit explicitly: an idle keep-alive connection must not hold a finished command open.
void main(process.argv.slice(2), processIo()).then((code) => process.exit(code))
