import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

/**
 * Runs GitHub's @github/local-action on src/action/main/run.ts then src/action/post/run.ts with an .env file, as
 * README's "Debug locally" shows; `home` keeps its files out of the user's home.
 */
export function localAction(
  envFile: string,
  home: string
): Promise<{ code: number | null; output: string }> {
  const args = ['run', ROOT, 'src/action/main/run.ts', envFile, '--post', 'src/action/post/run.ts']
  const bin = join(ROOT, 'node_modules/.bin')
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home }
  return new Promise((done, fail) => {
    const child = spawn(join(bin, 'local-action'), args, { cwd: ROOT, env })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}
