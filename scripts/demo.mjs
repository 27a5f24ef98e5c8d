// `npm run demo`: runs the bundled main and post steps (dist/) locally against the fake GitHub API with a
// throwaway App key, and shows what a workflow run would show: the step logs (masked like the runner
// masks them), the outputs, the job summary. No GitHub account needed. Build first (`npm run build`).
//
// Override or add inputs: npm run demo -- token-type=runner-jit owner=octo-org runner-labels=self-hosted,linux
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ensureNode24, newJob, ROOT, runStep, startSeededFake } from './lib/local-runner.mjs'

ensureNode24(import.meta.filename)

for (const step of ['main', 'post']) {
  if (!existsSync(join(ROOT, `dist/${step}/index.js`))) {
    console.error(`dist/${step}/index.js is missing: run npm run build first.`)
    process.exit(1)
  }
}

const overrides = {}
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf('=')
  if (eq <= 0) {
    console.error(
      `Arguments are inputs as name=value, e.g. permissions=contents:read (got '${arg}')`
    )
    process.exit(1)
  }
  overrides[arg.slice(0, eq)] = arg.slice(eq + 1)
}

const { fake } = await startSeededFake()
const job = await newJob(fake.url)

// What the workflow says (the key would come from secrets; here it is the fake's throwaway App key).
const installationToken = (overrides['token-type'] ?? 'installation') === 'installation'
const shown = {
  'app-id': String(fake.app.id),
  'private-key': '${{ secrets.APP_PRIVATE_KEY }}',
  ...(installationToken ? { permissions: 'contents:read' } : {}),
  ...overrides
}
const inputs = { ...shown, 'private-key': fake.app.privateKey }

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s)
const indent = (text, by = '  ') => text.replace(/\n$/, '').replace(/^/gm, by)

console.log(
  dim(
    `Fake GitHub API at ${fake.url}: App ${fake.app.id} (${fake.app.slug}), key generated for this run;`
  )
)
console.log(
  dim(
    `installation on octo-org (app, docs) granting contents:write, issues:write, metadata:read, organization_self_hosted_runners:write.`
  )
)
console.log(dim(`GITHUB_REPOSITORY=${job.env.GITHUB_REPOSITORY}, Node ${process.versions.node}.\n`))
console.log(bold('- uses: ./   # mint-token'))
console.log('  with:')
for (const [name, value] of Object.entries(shown)) console.log(`    ${name}: ${value}`)

// The runner masks secrets it knows (the private key) plus every ::add-mask:: value, in later output.
const secrets = [
  fake.app.privateKey,
  ...fake.app.privateKey.split('\n').filter((line) => line.length > 8)
]
const mask = (text) => {
  let masked = text
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    masked = masked.split(secret).join('***')
  return masked
}

/** A step's stdout as the runner shows it: workflow commands applied, masked values as ***. */
function runnerLog(stdout, stderr) {
  const lines = []
  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
    if (!command) {
      lines.push(mask(line))
      continue
    }
    const [, name, value] = command
    if (name === 'add-mask') secrets.push(value)
    else if (name === 'group') lines.push(`▼ ${mask(value)}`)
    else if (name === 'error' || name === 'warning' || name === 'notice') {
      lines.push(`${name[0].toUpperCase()}${name.slice(1)}: ${mask(value)}`)
    }
    // debug (hidden unless step debug logging is on), endgroup, others: not shown.
  }
  if (stderr.trim()) lines.push(...mask(stderr.trimEnd()).split('\n'))
  return lines.join('\n')
}

function showRequests(since) {
  const requests = fake.requests.slice(since)
  console.log(dim(`  fake API saw ${requests.length} request(s):`))
  for (const r of requests) console.log(dim(`    ${r.method} ${r.path} → ${r.status} (${r.auth})`))
}

console.log(`\n${bold('Run mint-token')} (main step)`)
const main = await runStep(job, 'main', inputs)
console.log(indent(runnerLog(main.stdout, main.stderr) || '(no output)'))
showRequests(0)
const afterMain = fake.requests.length

console.log(`\n${bold('Outputs')}`)
for (const [name, value] of Object.entries(main.outputs)) {
  const display = mask(value)
  console.log(`  ${name}: ${display.length > 160 ? `${display.slice(0, 157)}...` : display}`)
}
if (Object.keys(main.outputs).length === 0) console.log('  (none)')

console.log(`\n${bold('Job summary')}`)
console.log(indent(mask(main.summary) || '(none)', '  │ '))

// post-if: always(): the runner runs the post step even when the main step failed.
console.log(`\n${bold('Post Run mint-token')} (post step)`)
const post = await runStep(job, 'post', inputs, main.state)
console.log(indent(runnerLog(post.stdout, post.stderr) || '(no output)'))
showRequests(afterMain)
const token = main.outputs.token && fake.tokens.get(main.outputs.token)
if (token) console.log(dim(`  token revoked on the fake: ${token.revoked}`))

await fake.close()
job.cleanup()
console.log(`\n${main.exitCode === 0 && post.exitCode === 0 ? 'Job succeeded' : 'Job failed'}`)
process.exit(main.exitCode === 0 && post.exitCode === 0 ? 0 : 1)
