/**
 * The lines of a key's text worth masking: the runner masks a multi-line secret line by line, so
 * a key that did not come from a secret (a key file, the refresher's copy) is masked the same
 * way. Short lines and the BEGIN/END lines are left out: masking them would blank unrelated text.
 */
export function keySecretLines(text: string): string[] {
  return text
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'))
}
