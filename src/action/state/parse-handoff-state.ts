import { isAbsolute, normalize, sep } from 'node:path'
import type { ActionContext } from '../action-context.js'
import type { FileState, HandoffState } from '../../lib/handoff/hand-off.js'

export type ParsedHandoff =
  { kind: 'usable'; state: HandoffState } | { kind: 'unusable'; reason: string }

type Json = Record<string, unknown>

class Unusable extends Error {}

/**
 * The main step's hand-off state, checked like the rest of its state (see parsePostState): it
 * names files to delete, a process to stop and variables to export, so nothing in it is taken
 * on trust. Paths must be absolute and normal, each directory must contain the file, the pid
 * must be a positive integer and the variables git's own.
 */
export function parseHandoffState(ctx: Pick<ActionContext, 'core'>): ParsedHandoff {
  const raw = ctx.core.getState('handoff')
  if (!raw) return { kind: 'usable', state: {} }
  try {
    const value = object(JSON.parse(raw) as unknown, 'handoff')
    const state: HandoffState = {}
    if (value.file !== undefined) state.file = fileState(value.file, 'file')
    if (value.reader !== undefined) state.reader = fileState(value.reader, 'reader')
    if (value.refresher !== undefined) state.refresher = refresher(value.refresher)
    if (value.git !== undefined) state.git = git(value.git)
    return { kind: 'usable', state }
  } catch (error) {
    const reason = error instanceof Unusable ? error.message : "'handoff' is not JSON"
    return { kind: 'unusable', reason }
  }
}

function object(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Unusable(`'${name}' is not an object`)
  return value as Json
}

function absolutePath(value: unknown, name: string): string {
  if (
    typeof value !== 'string' ||
    !isAbsolute(value) ||
    normalize(value) !== value ||
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    /[\u0000-\u001f]/.test(value)
  )
    throw new Unusable(`'${name}' is not an absolute path`)
  return value
}

const isCount = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

function fileState(value: unknown, name: string): FileState {
  const file = object(value, name)
  const path = absolutePath(file.path, `${name}.path`)
  const dirs = Array.isArray(file.createdDirs) ? file.createdDirs : undefined
  if (!dirs) throw new Unusable(`'${name}.createdDirs' is not a list`)
  const createdDirs = dirs.map((dir) => absolutePath(dir, `${name}.createdDirs`))
  if (createdDirs.some((dir) => !path.startsWith(`${dir}${sep}`)))
    throw new Unusable(`'${name}.createdDirs' holds a directory that does not contain the file`)
  if (!isCount(file.dev) || !isCount(file.ino)) throw new Unusable(`'${name}' has no file identity`)
  return { path, createdDirs, dev: file.dev as number, ino: file.ino as number }
}

function refresher(value: unknown): NonNullable<HandoffState['refresher']> {
  const r = object(value, 'refresher')
  if (typeof r.pid !== 'number' || !Number.isSafeInteger(r.pid) || r.pid <= 1)
    throw new Unusable("'refresher.pid' is not a process id")
  if (typeof r.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(r.nonce))
    throw new Unusable("'refresher.nonce' is not one")
  const dir = absolutePath(r.dir, 'refresher.dir')
  const statusFile = absolutePath(r.statusFile, 'refresher.statusFile')
  if (statusFile !== `${dir}${sep}status.json`)
    throw new Unusable("'refresher.statusFile' is not in its directory")
  return { pid: r.pid, nonce: r.nonce, dir, statusFile }
}

function git(value: unknown): NonNullable<HandoffState['git']> {
  const g = object(value, 'git')
  const undo = object(g.undo, 'git.undo')
  for (const [name, v] of Object.entries(undo)) {
    const count = name === 'GIT_CONFIG_COUNT'
    if (
      !/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(name) ||
      typeof v !== 'string' ||
      (count ? !/^\d*$/.test(v) : v !== '')
    )
      throw new Unusable(
        "'git.undo' holds a variable that is not git's or a value main would not set"
      )
  }
  return {
    undo: undo as Record<string, string>,
    file: g.file === undefined ? undefined : fileState(g.file, 'git.file')
  }
}
