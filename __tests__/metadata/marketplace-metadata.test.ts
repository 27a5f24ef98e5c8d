import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { actionMetadataFiles, actionSchemaErrors, ROOT } from './workflow-checks.js'

/**
 * The GitHub Marketplace's rules for action metadata that can be checked without publishing
 * (https://docs.github.com/en/actions/sharing-automations/creating-actions/publishing-actions-in-github-marketplace
 * and the metadata syntax's `branding`): the release form refuses a description of 125 characters
 * or more, and the root action needs a name and a branding icon and colour. Sub-actions are not
 * listed on their own, but the same name and description rules keep them publishable as they grow.
 */

const COLOURS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark'
]
const MAX_DESCRIPTION = 124

function marketplaceProblems(path: string, text: string, options: { root: boolean }): string[] {
  const doc = parseDocument(text)
  const problems: string[] = []
  const name = doc.get('name')
  if (typeof name !== 'string' || name.trim() === '') problems.push(`${path}: no 'name'`)
  const description = doc.get('description')
  if (typeof description !== 'string' || description.trim() === '') {
    problems.push(`${path}: no 'description'`)
  } else if (description.length > MAX_DESCRIPTION) {
    problems.push(
      `${path}: 'description' is ${description.length} characters; the Marketplace takes at most ${MAX_DESCRIPTION}`
    )
  }
  if (!options.root && !doc.has('branding')) return problems
  const icon = doc.getIn(['branding', 'icon'])
  const colour = doc.getIn(['branding', 'color'])
  if (typeof icon !== 'string') problems.push(`${path}: no 'branding.icon'`)
  else if (actionSchemaErrors(text).some((e) => e.includes('/branding/icon')))
    problems.push(`${path}: 'branding.icon' '${icon}' is not one the Marketplace offers`)
  if (typeof colour !== 'string' || !COLOURS.includes(colour))
    problems.push(`${path}: 'branding.color' is not one of ${COLOURS.join(', ')}`)
  return problems
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

describe('Marketplace metadata rules', () => {
  test.each(actionMetadataFiles())('%s', (path) => {
    expect(marketplaceProblems(path, read(path), { root: path === 'action.yml' })).toEqual([])
  })

  test('one action at the root: action.yml, and no action.yaml beside it', () => {
    expect(existsSync(join(ROOT, 'action.yml'))).toBe(true)
    expect(existsSync(join(ROOT, 'action.yaml'))).toBe(false)
  })
})

describe('the Marketplace rules catch', () => {
  const root = read('action.yml')
  const check = (text: string) => marketplaceProblems('action.yml', text, { root: true })

  test('a description of 125 characters', () => {
    const text = root.replace(/^description: .*$/m, `description: '${'x'.repeat(125)}'`)
    expect(check(text)).toEqual([
      "action.yml: 'description' is 125 characters; the Marketplace takes at most 124"
    ])
  })

  test('a missing name, icon and colour', () => {
    const text = root.replace(/^name: .*$/m, '').replace(/^branding:\n(?: {2}.*\n)+/m, '')
    expect(check(text)).toEqual([
      "action.yml: no 'name'",
      "action.yml: no 'branding.icon'",
      "action.yml: 'branding.color' is not one of " + COLOURS.join(', ')
    ])
  })

  test('an icon and a colour the Marketplace does not offer', () => {
    const text = root
      .replace(/^( {2}icon: ).*$/m, "$1'key'")
      .replace(/^( {2}color: ).*$/m, "$1'pink'")
    expect(check(text)).toEqual([
      "action.yml: 'branding.icon' 'key' is not one the Marketplace offers",
      "action.yml: 'branding.color' is not one of " + COLOURS.join(', ')
    ])
  })
})
