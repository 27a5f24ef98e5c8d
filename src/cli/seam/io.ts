/**
 * The command line's side of the world, passed in: what it reads (arguments, environment,
 * standard input) and where it writes. The entry passes the process; nothing else in src/cli
 * touches `process` but the exec command, which must run and signal a child.
 */
export interface Io {
  env: Readonly<Record<string, string | undefined>>
  /** Where relative paths start. */
  cwd: string
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: { write(text: string): unknown }
  /** Standard input to its end (a key or a token, piped). */
  readStdin: () => Promise<string>
}

/** The process as an Io. */
export function processIo(): Io {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    }
  }
}
