import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/** A job summary as GitHub shows it: its sections, each a heading and a table of cell texts. */
export interface RenderedSummary {
  html: string
  /** Every element's tag, in document order. */
  tags: string[]
  headings: string[]
  /** The text of each paragraph (a summary's line between heading and table). */
  paragraphs: string[]
  /** Per table, per row, each cell's text (what a reader sees). */
  tables: string[][][]
  /** Every link's href. */
  links: string[]
}

/**
 * Renders the summary file with GitHub-flavoured Markdown (micromark with the GFM extensions,
 * raw HTML allowed: GitHub renders it, then sanitizes) and reads the result back with parse5, a
 * WHATWG-conformant HTML parser, so the structure checked is the one a browser builds.
 */
export function renderSummary(markdown: string): RenderedSummary {
  const html = micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
  const rendered: RenderedSummary = {
    html,
    tags: [],
    headings: [],
    paragraphs: [],
    tables: [],
    links: []
  }
  walk(parseFragment(html), rendered)
  return rendered
}

function walk(node: Node, into: RenderedSummary): void {
  if (!('tagName' in node)) {
    for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, into)
    return
  }
  into.tags.push(node.tagName)
  if (node.tagName === 'a') into.links.push(attribute(node, 'href') ?? '')
  if (/^h[1-6]$/.test(node.tagName)) into.headings.push(textOf(node))
  if (node.tagName === 'p') into.paragraphs.push(textOf(node))
  if (node.tagName === 'table') {
    const rows = elementsIn(node, 'tr')
    into.tables.push(rows.map((row) => row.childNodes.filter(isCell).map(textOf)))
  }
  for (const child of node.childNodes) walk(child, into)
}

const isElement = (node: Node): node is Element => 'tagName' in node
const isCell = (node: Node): node is Element =>
  isElement(node) && (node.tagName === 'td' || node.tagName === 'th')
const attribute = (node: Element, name: string) => node.attrs.find((a) => a.name === name)?.value

function elementsIn(node: Element, tag: string): Element[] {
  return node.childNodes
    .filter(isElement)
    .flatMap((child) => (child.tagName === tag ? [child] : elementsIn(child, tag)))
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : ''
}

/**
 * What every summary must render to: only the elements mint-token writes (no markup from foreign
 * text), every table rectangular (a raw '|' or line break would have split a row), links to
 * http(s) only.
 */
export function expectWellFormed(rendered: RenderedSummary): void {
  const ours = new Set(['h3', 'p', 'table', 'tbody', 'tr', 'th', 'td', 'code', 'strong', 'a'])
  expect(rendered.tags.filter((tag) => !ours.has(tag))).toEqual([])
  expect(rendered.tables.length).toBeGreaterThan(0)
  for (const table of rendered.tables) {
    const width = table[0]!.length
    expect(table.map((row) => row.length)).toEqual(table.map(() => width))
  }
  for (const link of rendered.links) expect(link).toMatch(/^https?:\/\//)
}
