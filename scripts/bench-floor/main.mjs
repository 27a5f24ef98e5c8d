// The toolkit floor's main step, for `npm run bench` (never shipped): the least an action built on
// @actions/core, @actions/github and @octokit/auth-app does to mint an installation token with the
// same requests as mint-token. With `installation-id`: one POST /app/installations/{id}/access_tokens;
// without: GET /repos/{owner}/{repo}/installation, then that POST. Same body as the action (this
// repository, the `permissions` pairs). It masks the token, sets the `token` output and saves it
// to state for the post floor. No validation, no retries, no summary: what the action adds on top
// of this is what the bench's "over toolkit floor" figures measure.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { getOctokitOptions, GitHub } from '@actions/github/lib/utils'
import { createAppAuth } from '@octokit/auth-app'

async function run() {
  try {
    const auth = {
      appId: core.getInput('app-id', { required: true }),
      privateKey: core.getInput('private-key', { required: true })
    }
    const installationId = core.getInput('installation-id')
    const permissions = Object.fromEntries(
      core
        .getInput('permissions')
        .split(/[,\n]/)
        .filter((pair) => pair.trim() !== '')
        .map((pair) => pair.split(':').map((part) => part.trim()))
    )
    const { owner, repo } = context.repo

    const options = getOctokitOptions(undefined, {
      baseUrl: core.getInput('github-api-url'),
      authStrategy: createAppAuth,
      auth
    })
    // getOctokitOptions() turns any non-string `auth` into `token ${token}` ("token undefined"
    // here), which createAppAuth rejects: the App's credentials go back in after it.
    options.auth = auth
    const octokit = new GitHub(options)

    const id = installationId
      ? Number(installationId)
      : (await octokit.rest.apps.getRepoInstallation({ owner, repo })).data.id
    const { data } = await octokit.rest.apps.createInstallationAccessToken({
      installation_id: id,
      repositories: [repo],
      permissions
    })
    core.setSecret(data.token)
    core.setOutput('token', data.token)
    core.saveState('token', data.token)
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}

void run()
