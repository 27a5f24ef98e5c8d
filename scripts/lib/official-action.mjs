// The bench's official column: actions/create-github-app-token, from a checkout of it that
// OFFICIAL_ACTION_DIR points at (never copied into this repository). Its steps are what its
// action.yml names (`runs.main`, `runs.post`: its committed, bundled dist/), run through the same
// harness as ours (local-runner's `script` option), with its own action.yml defaults as inputs.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

/** → undefined without the variable; else { label, scripts: { main, post }, inputs(apiUrl, more) }. */
export function loadOfficialAction(env = process.env) {
  const dir = env.OFFICIAL_ACTION_DIR
  if (!dir) return undefined
  const actionFile = join(resolve(dir), 'action.yml')
  if (!existsSync(actionFile))
    throw new Error(
      `OFFICIAL_ACTION_DIR=${dir} has no action.yml: point it at a checkout of actions/create-github-app-token`
    )
  const action = parse(readFileSync(actionFile, 'utf8'))
  const scripts = {}
  for (const step of ['main', 'post']) {
    const script = action.runs?.[step] && join(resolve(dir), action.runs[step])
    if (!script || !existsSync(script))
      throw new Error(
        `${actionFile}: runs.${step} names no file of the checkout (${action.runs?.[step]})`
      )
    scripts[step] = script
  }
  return {
    label: `${action.name ?? 'official'} ${versionOf(dir)}`,
    scripts,
    /** Its action.yml defaults as the runner fills them in, then `more`. */
    inputs(apiUrl, more) {
      const defaults = Object.entries(action.inputs ?? {})
        .filter(([, input]) => input?.default !== undefined)
        .map(([name, input]) => [
          name,
          String(input.default).replace('${{ github.api_url }}', apiUrl)
        ])
      return { ...Object.fromEntries(defaults), ...more }
    }
  }
}

function versionOf(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version ?? ''
  } catch {
    return ''
  }
}
