// Preloaded (`node --import`) into each measured child: records its own peak RSS (KB) on exit.
import { writeFileSync } from 'node:fs'

const file = process.env.MAX_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
