import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The git server's repository: octo-org/app.git under a project root, built and inspected. */

/** No user or system git config on the server side: the test machine's must not matter. */
export function serverGitEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1' }
}

const git = (dir: string, args: string[], input?: string): string =>
  execFileSync('git', ['--git-dir', dir, ...args], {
    input,
    encoding: 'utf8',
    env: {
      ...serverGitEnv(dirname(dir)),
      GIT_AUTHOR_NAME: 'Octo',
      GIT_AUTHOR_EMAIL: 'octo@example.com',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_NAME: 'Octo',
      GIT_COMMITTER_EMAIL: 'octo@example.com',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z'
    }
  }).trim()

/**
 * A bare repository `<root>/repos/octo-org/app.git` with one commit on main (README.md), built
 * with plumbing so that no work tree is needed. Returns its directory.
 */
export function createRepository(root: string): string {
  const dir = join(root, 'repos/octo-org/app.git')
  mkdirSync(dir, { recursive: true })
  git(dir, ['init', '--bare', '--quiet', '--initial-branch=main'])
  const blob = git(dir, ['hash-object', '-w', '--stdin'], 'Hello from octo-org/app\n')
  const tree = git(dir, ['mktree'], `100644 blob ${blob}\tREADME.md\n`)
  const commit = git(dir, ['commit-tree', tree, '-m', 'Initial commit'])
  git(dir, ['update-ref', 'refs/heads/main', commit])
  return dir
}

/** What a ref of the repository points at, e.g. 'refs/heads/main'. */
export function revParse(dir: string, ref: string): string {
  return git(dir, ['rev-parse', ref])
}
