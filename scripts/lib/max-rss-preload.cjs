// Preloaded (`node --require`) into each measured child: records its own peak RSS (KB) and the CPU
// time it used (user + system, ms) on exit, as "RSS CPU". CPU time barely moves when other work
// shares the machine, where wall time does: it tells a real change from a busy stretch.
// CommonJS and --require, not --import, so measuring does not start Node's ES module loader in a
// step that (like dist/, a CommonJS bundle) would not otherwise start it.
// On Linux the peak is /proc/self/status's VmHWM, this process's own high-water mark:
// resourceUsage().maxRSS (getrusage) keeps the maximum across fork and exec, so there it reports
// at least the bench process's RSS at the spawn (~60 MB), whatever the step itself used.
const { readFileSync, writeFileSync } = require('node:fs')

function peakRssKb() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1])
  } catch {
    // Not Linux: getrusage's figure is the best there is.
  }
  return process.resourceUsage().maxRSS
}

const file = process.env.MAX_RSS_FILE
function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

if (file) process.on('exit', () => writeFileSync(file, `${peakRssKb()} ${cpuMs()}`))
