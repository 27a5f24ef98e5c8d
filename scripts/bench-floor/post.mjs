// The toolkit floor's post step, for `npm run bench` (never shipped): revokes the token the main
// floor saved (STATE_token, read with core.getState as the action does) with one
// DELETE /installation/token, authenticated by the token itself. Nothing else.
import * as core from '@actions/core'
import { getOctokit } from '@actions/github'

async function run() {
  try {
    const token = core.getState('token')
    if (!token) throw new Error('no token in state: the main floor minted nothing')
    const octokit = getOctokit(token, { baseUrl: core.getInput('github-api-url') })
    await octokit.rest.apps.revokeInstallationAccessToken()
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}

void run()
