import type { HandoffSettings } from '../requests.js'
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  writeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { InputError } from '../input-error.js'
import { inputField, type Field } from '../field.js'
import { lstatIfAny } from '../refresher-control/token-file-identity.js'

/** A token file this step wrote, and the directories it made for it: what the post step removes. */
export interface TokenFile {
  path: string
  /** Deepest first, so they can be removed in order. */
  createdDirs: string[]
}

export interface Places {
  runnerTemp?: string
  workspace?: string
  /** How refusals name the path's source: the action's 'token-file' unless said otherwise. */
  field?: Field
}

/** Where a token file would go, checked before anything is minted (no file is made here). */
export function planTokenFile(
  spec: NonNullable<HandoffSettings['tokenFile']>,
  places: Places
): string | undefined {
  if (spec.kind === 'temp') {
    refuseInWorkspace(resolve(places.runnerTemp ?? tmpdir()), places, 'true')
    return undefined
  }
  const path = resolve(places.runnerTemp ?? tmpdir(), spec.path)
  const field = places.field
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f]/.test(path)) throw refuse(spec.path, 'contains a control character', field)
  refuseInWorkspace(path, places, spec.path)
  const existing = lstatIfAny(path)
  if (existing?.isSymbolicLink())
    throw refuse(spec.path, 'is a symbolic link; links are never followed', field)
  if (existing)
    throw refuse(spec.path, 'already exists; an existing file is never overwritten', field)
  return path
}

/**
 * Writes the secret, exactly and with no newline, to a new file of mode 0600: in a new private
 * directory under RUNNER_TEMP for `true`, else at the planned path (missing parents made 0700).
 * O_EXCL and O_NOFOLLOW make creating it atomic: a file or link that appeared since planning is
 * refused, never followed or overwritten.
 */
export function writeTokenFile(
  spec: NonNullable<HandoffSettings['tokenFile']>,
  secret: string,
  places: Places
): TokenFile {
  const planned = planTokenFile(spec, places)
  const createdDirs: string[] = []
  let path: string
  if (planned) {
    createdDirs.push(...makeParents(dirname(planned)))
    path = planned
  } else {
    const dir = mkdtempSync(join(places.runnerTemp ?? tmpdir(), 'mint-token-'))
    createdDirs.push(dir)
    path = join(dir, 'token')
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  const fd = openSync(path, flags, 0o600)
  try {
    writeSync(fd, secret)
  } finally {
    closeSync(fd)
  }
  return { path, createdDirs }
}

/** Credentials never live in the workspace, judged after resolving links. */
function refuseInWorkspace(path: string, places: Places, value: string): void {
  if (!places.workspace || !isInside(realPathSoFar(path), realPathSoFar(places.workspace))) return
  if (value === 'true') {
    throw refuse(
      value,
      'would put the file under RUNNER_TEMP, but RUNNER_TEMP is inside GITHUB_WORKSPACE, where credentials must never be written; give a path outside the workspace'
    )
  }
  throw refuse(
    value,
    'is inside GITHUB_WORKSPACE, where credentials must never be written (other steps and artifacts read it); use a path under RUNNER_TEMP, or true'
  )
}

function makeParents(dir: string): string[] {
  const missing: string[] = []
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.push(d)
  for (const d of [...missing].reverse()) mkdirSync(d, { mode: 0o700 })
  return missing
}

/** The real path of the longest existing prefix, with the rest appended: links resolved. */
function realPathSoFar(path: string): string {
  let existing = path
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing)
  return join(realpathSync(existing), relative(existing, path))
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function refuse(value: string, why: string, field = inputField('token-file')): InputError {
  return new InputError(`${field.subject} is '${value.slice(0, 200)}', which ${why}.`)
}
