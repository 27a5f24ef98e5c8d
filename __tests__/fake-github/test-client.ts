/** Small clients for tests of the fake: App JWTs (real ones via @octokit/auth-app, or hand-made) and fetch. */
import { createAppAuth } from '@octokit/auth-app'
import { sign } from 'node:crypto'
import type { FakeGitHub } from './types.js'

export async function appJwt(fake: FakeGitHub): Promise<string> {
  const auth = createAppAuth({ appId: fake.app.id, privateKey: fake.app.privateKey })
  return (await auth({ type: 'app' })).token
}

/** A JWT with chosen claims, signed with the given PEM key (the App's unless told otherwise). */
export function handMadeJwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`
}

export interface Answer {
  status: number
  headers: Headers
  body: unknown
}

export async function call(
  fake: FakeGitHub,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<Answer> {
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    ...options.headers
  }
  if (options.auth)
    headers.authorization = options.auth.startsWith('ghs_')
      ? `token ${options.auth}`
      : `Bearer ${options.auth}`
  const init: RequestInit = { method, headers }
  if (options.body !== undefined) init.body = JSON.stringify(options.body)
  const response = await fetch(fake.url + path, init)
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown)
  }
}

/** The installations most scenarios start from: octo-org (1000, selected repos) and mona (1001, all). */
export function seedInstallations(fake: FakeGitHub): void {
  fake.addInstallation({
    account: 'octo-org',
    repositories: ['app', 'docs'],
    permissions: {
      contents: 'write',
      administration: 'write',
      organization_self_hosted_runners: 'write'
    }
  })
  fake.addInstallation({
    account: 'mona',
    accountType: 'User',
    repositorySelection: 'all',
    repositories: ['dotfiles'],
    permissions: { contents: 'read' }
  })
}

/** Mints an installation token through the fake and returns it. */
export async function mint(
  fake: FakeGitHub,
  installationId: number,
  body: unknown = {}
): Promise<string> {
  const answer = await call(fake, 'POST', `/app/installations/${installationId}/access_tokens`, {
    auth: await appJwt(fake),
    body
  })
  if (answer.status !== 201)
    throw new Error(`mint failed: ${answer.status} ${JSON.stringify(answer.body)}`)
  return (answer.body as { token: string }).token
}
