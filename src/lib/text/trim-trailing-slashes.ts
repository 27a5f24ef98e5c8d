/**
 * `text` without its trailing slashes. Not /\/+$/: that regex retries from every slash of a run
 * that does not end the text, so a long run of slashes in an input takes quadratic time.
 */
export function trimTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === '/') end--
  return text.slice(0, end)
}
