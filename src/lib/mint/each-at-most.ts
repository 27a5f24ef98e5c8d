/**
 * Runs `work` for each item in the order given, at most `limit` at a time. After the first
 * failure, or once `stopped()` says so (a cancel), no new item starts; the ones already running
 * are waited for, so that whatever they created is known to the caller before it undoes; then the
 * first failure is thrown.
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stopped: () => boolean
): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (!failure && !stopped() && next < items.length) {
      const item = items[next++]!
      try {
        await work(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
}
