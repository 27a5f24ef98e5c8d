import { randomInt } from 'node:crypto'

const ALPHABETS = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
} as const

/** Random credential text in the alphabet GitHub uses for that kind of token. */
export function randomToken(length: number, alphabet: keyof typeof ALPHABETS): string {
  const chars = ALPHABETS[alphabet]
  return Array.from({ length }, () => chars[randomInt(chars.length)]).join('')
}
