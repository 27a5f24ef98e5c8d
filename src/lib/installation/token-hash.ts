import { createHash } from 'node:crypto'

/**
 * The token as GitHub's audit log shows it: `hashed_token`, the base64 of its SHA-256
 * (`echo -n TOKEN | openssl dgst -sha256 -binary | base64`). Not a secret: it cannot be turned
 * back into the token, and it lets a security team find every event the token caused.
 * https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/identifying-audit-log-events-performed-by-an-access-token
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64')
}
