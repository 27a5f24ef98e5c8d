/**
 * A problem with what the workflow passed in. Its message names the input and what was expected and
 * is safe to print: it never contains a secret.
 */
export class InputError extends Error {
  override name = 'InputError'
}
