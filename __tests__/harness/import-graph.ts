import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

/** One import: from a file of src/ to another (type-only imports included). */
export type Edge = [from: string, to: string]

/**
 * src/'s imports, as dependency-cruiser resolves them (TypeScript's own resolution, `.js`
 * specifiers to `.ts` files, `import type` counted: a cycle of types is a cycle of ideas).
 */
export function importsOfSrc(): Edge[] {
  const json = execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'),
      'src',
      '--no-config',
      '--ts-pre-compilation-deps',
      '--ts-config',
      'tsconfig.json',
      '--do-not-follow',
      'node_modules',
      '--output-type',
      'json'
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
  )
  const result = JSON.parse(json) as {
    modules: { source: string; dependencies: { resolved: string }[] }[]
  }
  return result.modules.flatMap((module) =>
    module.dependencies
      .filter((dependency) => dependency.resolved.startsWith('src/'))
      .map((dependency): Edge => [module.source, dependency.resolved])
  )
}

/** The same imports between folders: a file's folder stands for it; imports within one go. */
export function folderEdges(edges: Edge[]): Edge[] {
  const seen = new Set<string>()
  const folders: Edge[] = []
  for (const [from, to] of edges) {
    const edge: Edge = [dirname(from), dirname(to)]
    const key = edge.join('\0')
    if (edge[0] === edge[1] || seen.has(key)) continue
    seen.add(key)
    folders.push(edge)
  }
  return folders
}

/**
 * Each cycle of the graph, as the nodes of one strongly connected component of two or more
 * (Tarjan's algorithm); a self-import counts as a cycle of one. Sorted, so a failure reads the
 * same every run.
 * Gap: dependency-cruiser finds file cycles but has no rule for cycles between folders.
 */
export function cyclesOf(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to])
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string) => {
    index.set(node, index.size)
    low.set(node, index.get(node)!)
    stack.push(node)
    onStack.add(node)
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node)!, low.get(to)!))
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    const selfImport = next.get(node)?.includes(node)
    if (component.length > 1 || selfImport) cycles.push(component.sort())
  }
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node)
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!))
}
