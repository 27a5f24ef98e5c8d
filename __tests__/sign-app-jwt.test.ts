import { generateKeyPairSync, verify } from 'node:crypto'
import { signAppJwt } from '../src/key/sign-app-jwt.js'
import { checkAppJwt } from './fake-github/jwt.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const NOW = 1_800_000_000

function decode(jwt: string) {
  const [header, payload, signature] = jwt.split('.') as [string, string, string]
  const json = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
  return { header: json(header), claims: json(payload), signed: `${header}.${payload}`, signature }
}

describe('signAppJwt', () => {
  test('an RS256 JWT that verifies with the App public key', () => {
    const { jwt } = signAppJwt('12345', privateKey, NOW)
    const { header, signed, signature } = decode(jwt)
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' })
    expect(
      verify('sha256', Buffer.from(signed), publicKey, Buffer.from(signature, 'base64url'))
    ).toBe(true)
  })

  test('iat 60 s back, exp 10 minutes after iat, expiresAt matching exp', () => {
    const { jwt, expiresAt } = signAppJwt('12345', privateKey, NOW + 0.9)
    expect(decode(jwt).claims).toEqual({ iat: NOW - 60, exp: NOW + 540, iss: 12345 })
    expect(expiresAt).toBe(new Date((NOW + 540) * 1000).toISOString())
  })

  test('a Client ID is the issuer as a string', () => {
    const { jwt } = signAppJwt('Iv23liAbCdEf', privateKey, NOW)
    expect(decode(jwt).claims.iss).toBe('Iv23liAbCdEf')
  })

  test("passes GitHub's JWT rules (as the fake API applies them), also at the edge of drift", () => {
    const check = { publicKey, appId: 12345, clientId: 'Iv23liAbCdEf', nowSeconds: NOW }
    expect(checkAppJwt(signAppJwt('12345', privateKey, NOW).jwt, check)).toBeUndefined()
    expect(checkAppJwt(signAppJwt('Iv23liAbCdEf', privateKey, NOW).jwt, check)).toBeUndefined()
    // A runner clock 59 s fast still passes; 2 minutes fast is refused (auth-app then retries).
    expect(checkAppJwt(signAppJwt('12345', privateKey, NOW + 59).jwt, check)).toBeUndefined()
    expect(checkAppJwt(signAppJwt('12345', privateKey, NOW + 120).jwt, check)).toBe(
      "'Expiration time' claim ('exp') is too far in the future"
    )
  })
})
