import { cliLog } from '../../../src/cli/seam/cli-log.js'

/** The command line's Log: stderr only, every masked value replaced, as the runner would. */
function recorded(env: Record<string, string> = {}) {
  const lines: string[] = []
  const log = cliLog({ env, stderr: { write: (text: string) => lines.push(text) } })
  return { log, lines }
}

describe('cliLog', () => {
  test('replaces every masked value with ***, the longer of two overlapping ones whole', () => {
    const { log, lines } = recorded()
    log.mask('ghs_short')
    log.mask('ghs_shortANDlonger')
    log.info('a ghs_shortANDlonger and a ghs_short')
    log.warning('ghs_short')
    log.error('x ghs_short y')
    expect(lines).toEqual(['a *** and a ***\n', 'warning: ***\n', 'error: x *** y\n'])
  })

  test('a blank mask hides nothing; debug lines only with MINT_TOKEN_DEBUG', () => {
    const quiet = recorded()
    quiet.log.mask('  ')
    quiet.log.debug('hidden')
    quiet.log.info('a b')
    expect(quiet.lines).toEqual(['a b\n'])
    const loud = recorded({ MINT_TOKEN_DEBUG: '1' })
    loud.log.debug('shown')
    expect(loud.lines).toEqual(['debug: shown\n'])
  })
})
