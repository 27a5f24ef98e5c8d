import { isAbsolute, normalize, sep } from 'node:path'
import type { Core } from '../action-context.js'
import type { FileState, HandoffState } from '../../lib/handoff/hand-off.js'
import { asObject, parseJson, unusable, usable, type Parsed } from './state-fields.js'

/**
 * The 'handoff' key: what main handed off (token file, reader, refresher, git configuration), as
 * the library returned it (HandoffState), for the post step to undo. Nothing in it is secret.
 */

/** The JSON of 'handoff'; none when nothing was handed off. */
export function writeHandoff(state: HandoffState): string | undefined {
  return Object.keys(state).length > 0 ? JSON.stringify(state) : undefined
}

/**
 * The main step's hand-off state, checked like the rest of its state (see readPostState): it
 * names files to delete, a process to stop and variables to export, so nothing in it is taken
 * on trust. Paths must be absolute and normal, each directory must contain the file, the pid
 * must be a positive integer and the variables git's own.
 */
export function readHandoffState(core: Pick<Core, 'getState'>): Parsed<HandoffState> {
  const raw = core.getState('handoff')
  if (!raw) return usable({})
  const json = parseJson('handoff', raw)
  if (json.kind === 'unusable') return json
  const value = asObject(json.value, 'handoff')
  if (value.kind === 'unusable') return value
  const state: HandoffState = {}
  for (const [key, parse] of Object.entries(PARTS)) {
    if (value.value[key] === undefined) continue
    const part = parse(value.value[key])
    if (part.kind === 'unusable') return part
    Object.assign(state, { [key]: part.value })
  }
  return usable(state)
}

type Part<K extends keyof HandoffState> = (value: unknown) => Parsed<NonNullable<HandoffState[K]>>

/** Each part's parser, in the order they are checked. */
const PARTS: { [K in keyof Required<HandoffState>]: Part<K> } = {
  file: (value) => fileState(value, 'file'),
  reader: (value) => fileState(value, 'reader'),
  refresher,
  git
}

const isAbsolutePath = (value: unknown): value is string =>
  typeof value === 'string' &&
  isAbsolute(value) &&
  normalize(value) === value &&
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  !/[\u0000-\u001f]/.test(value)

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

function fileState(value: unknown, name: string): Parsed<FileState> {
  const file = asObject(value, name)
  if (file.kind === 'unusable') return file
  const { path, createdDirs, dev, ino } = file.value
  if (!isAbsolutePath(path)) return unusable(`'${name}.path' is not an absolute path`)
  if (!Array.isArray(createdDirs)) return unusable(`'${name}.createdDirs' is not a list`)
  const dirs: unknown[] = createdDirs
  if (!dirs.every(isAbsolutePath)) return unusable(`'${name}.createdDirs' is not an absolute path`)
  if (dirs.some((dir) => !path.startsWith(`${dir}${sep}`)))
    return unusable(`'${name}.createdDirs' holds a directory that does not contain the file`)
  if (!isCount(dev) || !isCount(ino)) return unusable(`'${name}' has no file identity`)
  return usable({ path, createdDirs: dirs, dev, ino })
}

function refresher(value: unknown): Parsed<NonNullable<HandoffState['refresher']>> {
  const object = asObject(value, 'refresher')
  if (object.kind === 'unusable') return object
  const { pid, nonce, dir, statusFile } = object.value
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1)
    return unusable("'refresher.pid' is not a process id")
  if (typeof nonce !== 'string' || !/^[0-9a-f]{32}$/.test(nonce))
    return unusable("'refresher.nonce' is not one")
  if (!isAbsolutePath(dir)) return unusable("'refresher.dir' is not an absolute path")
  if (!isAbsolutePath(statusFile)) return unusable("'refresher.statusFile' is not an absolute path")
  if (statusFile !== `${dir}${sep}status.json`)
    return unusable("'refresher.statusFile' is not in its directory")
  return usable({ pid, nonce, dir, statusFile })
}

function git(value: unknown): Parsed<NonNullable<HandoffState['git']>> {
  const object = asObject(value, 'git')
  if (object.kind === 'unusable') return object
  const undo = asObject(object.value.undo, 'git.undo')
  if (undo.kind === 'unusable') return undo
  if (!Object.entries(undo.value).every(([name, v]) => isGitUndo(name, v)))
    return unusable("'git.undo' holds a variable that is not git's or a value main would not set")
  const variables = undo.value as Record<string, string>
  if (object.value.file === undefined) return usable({ undo: variables, file: undefined })
  const file = fileState(object.value.file, 'git.file')
  return file.kind === 'unusable' ? file : usable({ undo: variables, file: file.value })
}

/** Main saves, to restore them, git's config variables as they were: empty, and the count. */
function isGitUndo(name: string, value: unknown): value is string {
  if (!/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(name) || typeof value !== 'string')
    return false
  return name === 'GIT_CONFIG_COUNT' ? /^\d*$/.test(value) : value === ''
}
