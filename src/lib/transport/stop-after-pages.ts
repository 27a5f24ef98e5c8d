/**
 * A page counter for `octokit.paginate`'s map function: it calls `done()` on the `max`th page.
 * paginate follows each reply's `next` Link header until there is none, so a server (or a proxy)
 * that keeps sending one must not keep the action looping forever.
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export function stopAfterPages(max: number): (done: () => void) => void {
  let pages = 0
  return (done) => {
    pages += 1
    if (pages >= max) done()
  }
}
