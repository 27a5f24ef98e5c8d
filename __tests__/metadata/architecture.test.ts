import { describe, expect, test } from '@jest/globals'
import { cyclesOf, folderEdges, importsOfSrc, type Edge } from '../harness/import-graph.js'

/**
 * The layout's promises (issue 15): no import cycle between files or between folders, type-only
 * imports included. The boundary of src/lib (no front end, no @actions/core) is an ESLint rule
 * (eslint.config.js), so it fails `npm run lint` at the line that breaks it.
 */
describe('architecture: src/ imports', () => {
  const edges = importsOfSrc()

  test('the graph is read (a check on the check: an empty graph has no cycle either)', () => {
    expect(edges.length).toBeGreaterThan(300)
    expect(edges).toContainEqual([
      'src/lib/seam/deps.ts',
      'src/lib/transport/create-github-clients.ts'
    ])
  })

  test('no cycle between files', () => {
    expect(cyclesOf(edges)).toEqual([])
  })

  test('no cycle between folders', () => {
    expect(cyclesOf(folderEdges(edges))).toEqual([])
  })
})

describe('architecture: the cycle finder', () => {
  test('finds a cycle through three folders, a pair and a self-import, and nothing in a chain', () => {
    const edges: Edge[] = [
      ['src/a/x.ts', 'src/b/y.ts'],
      ['src/b/y.ts', 'src/c/z.ts'],
      ['src/c/z.ts', 'src/a/w.ts'],
      ['src/d/p.ts', 'src/e/q.ts'],
      ['src/e/q.ts', 'src/d/r.ts'],
      ['src/f/s.ts', 'src/f/s.ts'],
      ['src/g/t.ts', 'src/h/u.ts'],
      ['src/h/u.ts', 'src/i/v.ts']
    ]
    expect(cyclesOf(folderEdges(edges))).toEqual([
      ['src/a', 'src/b', 'src/c'],
      ['src/d', 'src/e']
    ])
    // Between files, a/x → b/y → c/z → a/w is a chain: only the self-import is a cycle.
    expect(cyclesOf(edges)).toEqual([['src/f/s.ts']])
  })
})
