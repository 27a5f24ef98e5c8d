// Preloaded (`node --require`) into each measured child: records its own peak RSS (KB) on exit.
// CommonJS and --require, not --import, so measuring does not start Node's ES module loader in a
// step that (like dist/, a CommonJS bundle) would not otherwise start it.
const { writeFileSync } = require('node:fs')

const file = process.env.MAX_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
