// `npm run fake`: the fake GitHub API of the tests, on 127.0.0.1, for trying the action by hand
// without a GitHub App. Prints its URL, a throwaway App key file and a ready .env for
// @github/local-action (README, "Debug locally"), then serves until Ctrl-C, which deletes them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureNode24, startSeededFake } from './lib/local-runner.mjs'

ensureNode24(import.meta.filename)

const { fake } = await startSeededFake()
const dir = mkdtempSync(join(tmpdir(), 'mint-token-fake-'))
const keyFile = join(dir, 'app-key.pem')
writeFileSync(keyFile, fake.app.privateKey, { mode: 0o600 })
// @actions/core's summary refuses to write to a file that does not exist.
const summaryFile = join(dir, 'step-summary.md')
writeFileSync(summaryFile, '')
const envFile = join(dir, '.env')
// local-action applies action.yml's defaults without expanding ${{ … }}: the API URL is set here.
const env = [
  `INPUT_APP-ID=${fake.app.id}`,
  `INPUT_PRIVATE-KEY-FILE=${keyFile}`,
  `INPUT_GITHUB-API-URL=${fake.url}`,
  'INPUT_PERMISSIONS=contents:read',
  `GITHUB_API_URL=${fake.url}`,
  'GITHUB_REPOSITORY=octo-org/app',
  `GITHUB_STEP_SUMMARY=${summaryFile}`
].join('\n')
writeFileSync(envFile, `${env}\n`, { mode: 0o600 })

console.log(`Fake GitHub API: ${fake.url}`)
console.log(
  `App: ${fake.app.id} (client ID ${fake.app.clientId}), installed on octo-org (app, docs)`
)
console.log(`Throwaway App key: ${keyFile}`)
console.log(`Job summary file: ${summaryFile}`)
console.log(`.env for @github/local-action: ${envFile}\n`)
console.log(env)
console.log(`\nIn another terminal, from this repository:`)
console.log(
  `  npx @github/local-action run . src/action/main/run.ts ${envFile} --post src/action/post/run.ts`
)
console.log(`  cat ${summaryFile}`)
console.log(`\nServing until Ctrl-C (which deletes ${dir}).`)

const stop = async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
