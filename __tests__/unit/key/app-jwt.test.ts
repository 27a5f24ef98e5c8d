import { createAppAuth } from '@octokit/auth-app'
import { generateKeyPairSync, verify } from 'node:crypto'
import { checkAppJwt } from '../../fake-github/jwt.js'

/**
 * The App JWT is @octokit/auth-app's own (universal-github-app-jwt). These pin what it signs to
 * GitHub's JWT rules as the fake applies them, so the fake cannot drift from the signer.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

async function appJwt(appId: number | string, timeDifference = 0) {
  const auth = createAppAuth({ appId, privateKey: pem, timeDifference })
  return (await auth({ type: 'app' })).token
}

function decode(jwt: string) {
  const [header, payload, signature] = jwt.split('.') as [string, string, string]
  const json = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, number>
  return { claims: json(payload), signed: `${header}.${payload}`, signature }
}

describe("auth-app's App JWT", () => {
  test('RS256, verifiable with the public key, iat 30 s back, exp 10 minutes after iat', async () => {
    const now = Math.floor(Date.now() / 1000)
    const { claims, signed, signature } = decode(await appJwt(12345))
    expect(
      verify('sha256', Buffer.from(signed), publicKey, Buffer.from(signature, 'base64url'))
    ).toBe(true)
    expect(claims.iss).toBe(12345)
    expect(claims.exp! - claims.iat!).toBe(600)
    expect(Math.abs(claims.iat! - (now - 30))).toBeLessThanOrEqual(1)
  })

  test("passes the fake's copy of GitHub's rules, for an App ID and a Client ID", async () => {
    const check = {
      publicKey,
      appId: 12345,
      clientId: 'Iv23liAbCdEf',
      nowSeconds: Math.floor(Date.now() / 1000)
    }
    expect(checkAppJwt(await appJwt(12345), check)).toBeUndefined()
    expect(checkAppJwt(await appJwt('Iv23liAbCdEf'), check)).toBeUndefined()
  })

  test('a clock 2 minutes fast is refused, and timeDifference corrects it', async () => {
    const check = {
      publicKey,
      appId: 12345,
      clientId: 'Iv23liAbCdEf',
      nowSeconds: Math.floor(Date.now() / 1000) - 120
    }
    expect(checkAppJwt(await appJwt(12345), check)).toBe(
      "'Expiration time' claim ('exp') is too far in the future"
    )
    expect(checkAppJwt(await appJwt(12345, -120), check)).toBeUndefined()
  })
})
