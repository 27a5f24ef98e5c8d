import { generateKeyPairSync, type KeyObject } from 'node:crypto'

/** Generating RSA 2048 costs ~100 ms, so one App key serves every fake in the process. */
let appKey: { privateKeyPem: string; publicKey: KeyObject } | undefined

export function appKeyPair(): { privateKeyPem: string; publicKey: KeyObject } {
  if (!appKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    // PKCS#1 ('BEGIN RSA PRIVATE KEY') is what GitHub hands out for App keys.
    const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    appKey = { privateKeyPem, publicKey }
  }
  return appKey
}
