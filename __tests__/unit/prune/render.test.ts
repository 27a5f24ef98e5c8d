import { pruneResult, type PruneRow } from '../../../src/lib/prune/prune-result.js'
import { renderPruneResult } from '../../../src/action/prune-runners/render-prune-result.js'

const row = (patch: Partial<PruneRow>): PruneRow => ({
  id: 1,
  name: 'r',
  status: 'offline',
  busy: false,
  labels: ['self-hosted', 'linux'],
  decision: 'kept',
  reason: 'online',
  ...patch
})

describe('prune result: outputs and summary table', () => {
  const rows = [
    row({
      id: 1,
      name: 'old',
      ageMs: 3 * 3_600_000,
      decision: 'removed',
      reason: 'offline and older than 1h'
    }),
    row({ id: 2, name: 'up', status: 'online', decision: 'kept', reason: 'online' }),
    row({ id: 3, name: 'gone', decision: 'already gone', reason: 'removed elsewhere' }),
    row({ id: 4, name: 'err', busy: true, decision: 'failed', reason: 'HTTP 500: Server Error' }),
    row({ id: 5, name: 'dry', ageMs: 7_200_000, decision: 'would remove', reason: 'x (dry run)' })
  ]

  test('tallies removed (and would-remove), kept and failed; already gone is neither', () => {
    expect(pruneResult(rows)).toEqual({
      removed: [
        { id: 1, name: 'old' },
        { id: 5, name: 'dry' }
      ],
      kept: 1,
      left: 0,
      failed: [{ id: 4, name: 'err', reason: 'HTTP 500: Server Error' }],
      considered: rows
    })
  })

  test('busy at deletion counts as kept; left for the next run is neither kept nor failed', () => {
    const more = [
      row({ id: 6, decision: 'busy at deletion' }),
      row({ id: 7, decision: 'left for the next run' }),
      row({ id: 8, decision: 'left for the next run' })
    ]
    expect(pruneResult(more)).toMatchObject({ removed: [], kept: 1, left: 2, failed: [] })
    expect(renderPruneResult(pruneResult(more), { dryRun: false }).outputs).toEqual({
      removed: '[]',
      kept: '1',
      left: '2'
    })
  })

  test('renders the outputs, the totals and one table row per runner: names as code, removals in bold', () => {
    expect(renderPruneResult(pruneResult(rows), { dryRun: false })).toEqual({
      outputs: { removed: '[{"id":1,"name":"old"},{"id":5,"name":"dry"}]', kept: '1', left: '0' },
      totals: 'removed 2, kept 1, failed 1, 1 already gone',
      table: [
        ['Runner', 'ID', 'Status', 'Busy', 'Labels', 'Age', 'Decision', 'Reason'].map((data) => ({
          data,
          header: true
        })),
        [
          '<code>old</code>',
          '1',
          'offline',
          'no',
          'self-hosted, linux',
          '3h',
          '<strong>removed</strong>',
          'offline and older than 1h'
        ],
        ['<code>up</code>', '2', 'online', 'no', 'self-hosted, linux', 'unknown', 'kept', 'online'],
        [
          '<code>gone</code>',
          '3',
          'offline',
          'no',
          'self-hosted, linux',
          'unknown',
          'already gone',
          'removed elsewhere'
        ],
        [
          '<code>err</code>',
          '4',
          'offline',
          'yes',
          'self-hosted, linux',
          'unknown',
          'failed',
          'HTTP 500: Server Error'
        ],
        [
          '<code>dry</code>',
          '5',
          'offline',
          'no',
          'self-hosted, linux',
          '2h',
          '<strong>would remove</strong>',
          'x (dry run)'
        ]
      ]
    })
  })

  test('nothing considered: empty outputs and a header-only table', () => {
    const rendered = renderPruneResult(pruneResult([]), { dryRun: true })
    expect(rendered.outputs).toEqual({ removed: '[]', kept: '0', left: '0' })
    expect(rendered.totals).toBe('would remove 0, kept 0, failed 0')
    expect(rendered.table).toHaveLength(1)
  })

  test('escapes foreign text in cells, so a name or label cannot add markup', () => {
    const hostile = row({ name: '<img src=x>', labels: ['a|b', '`c`'], reason: 'x\n## y' })
    expect(renderPruneResult(pruneResult([hostile]), { dryRun: false }).table[1]).toEqual([
      '<code>&lt;img src=x&gt;</code>',
      '1',
      'offline',
      'no',
      'a&#124;b, &#96;c&#96;',
      'unknown',
      'kept',
      'x ## y'
    ])
  })
})
