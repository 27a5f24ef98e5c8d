/** The runner's just-in-time configuration, shaped like the files `config.sh` writes. */
import { generateKeyPairSync } from 'node:crypto'
import type { RunnerRecord } from './types.js'

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64')
const fromUrl = (value: string | undefined): string =>
  Buffer.from(value ?? '', 'base64url').toString('base64')

/** A fresh RSA 1024 key per runner, as .credentials_rsaparams (base64 fields, not base64url). */
function rsaParams(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const jwk = privateKey.export({ format: 'jwk' })
  return {
    d: fromUrl(jwk.d),
    dp: fromUrl(jwk.dp),
    dq: fromUrl(jwk.dq),
    exponent: fromUrl(jwk.e),
    inverseQ: fromUrl(jwk.qi),
    modulus: fromUrl(jwk.n),
    p: fromUrl(jwk.p),
    q: fromUrl(jwk.q)
  }
}

export function encodedJitConfig(
  runner: RunnerRecord,
  options: { gitHubUrl: string; workFolder: string }
): string {
  const serverUrl = 'https://pipelinesghubeus2.actions.githubusercontent.com/fake/'
  const files = {
    '.runner': b64({
      AgentId: String(runner.id),
      AgentName: runner.name,
      PoolId: String(runner.runnerGroupId),
      PoolName: null,
      ServerUrl: serverUrl,
      GitHubUrl: options.gitHubUrl,
      WorkFolder: options.workFolder,
      UseV2Flow: true,
      ServerUrlV2: 'https://broker.actions.githubusercontent.com/'
    }),
    '.credentials': b64({
      Scheme: 'OAuth',
      Data: {
        clientId: `fake-client-${runner.id}`,
        authorizationUrl: `${serverUrl}_apis/oauth2/token/fake`,
        requireFipsCryptography: 'True'
      }
    }),
    '.credentials_rsaparams': b64(rsaParams())
  }
  return b64(files)
}
