/**
 * Whether `digits` is an ID as GitHub issues them: a positive integer without leading zeros that a
 * JavaScript number holds exactly (at most 2^53 − 1), so the request path names the very ID given.
 * Beyond that, Number('9007199254740993') is 9007199254740992: another installation or group.
 */
export function isPositiveId(digits: string): boolean {
  return /^[1-9]\d*$/.test(digits) && Number.isSafeInteger(Number(digits))
}
