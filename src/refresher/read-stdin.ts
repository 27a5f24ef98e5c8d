/** The configuration is a few KB (the key is ~1.7 KB); more is not the main step's. */
const LIMIT_BYTES = 1024 * 1024
/** The main step writes it at once; a pipe left open must not keep a process waiting. */
const TIMEOUT_MS = 10_000

/** Reads a stream to its end, as UTF-8, within a size limit and a time limit. */
export async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  const reading = (async () => {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += bytes.length
      if (size > LIMIT_BYTES) throw new Error('the configuration on stdin is too large')
      chunks.push(bytes)
    }
    return Buffer.concat(chunks).toString('utf8')
  })()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no configuration on stdin within 10 s')), TIMEOUT_MS)
  })
  try {
    return await Promise.race([reading, timeout])
  } finally {
    clearTimeout(timer)
  }
}
