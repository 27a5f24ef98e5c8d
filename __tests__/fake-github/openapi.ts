/** Validates recorded responses against GitHub's OpenAPI description from @octokit/openapi. */
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

type Json = Record<string, unknown>
interface Operation {
  responses?: Record<string, Json>
}
export interface Description {
  paths: Record<string, Record<string, Operation>>
  components: Json
}

/** OpenAPI 3.0's `nullable` is not JSON Schema; turn it into a 'null' alternative ajv understands. */
function denullify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(denullify)
  if (typeof node !== 'object' || node === null) return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node))
    out[key] = key === 'example' || key === 'examples' ? value : denullify(value)
  if (out.nullable !== true) return out
  delete out.nullable
  if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null]
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] }
  return { anyOf: [out, { type: 'null' }] }
}

export function loadDescription(file = 'api.github.com.json'): Description {
  const require = createRequire(import.meta.url)
  const path = require.resolve(`@octokit/openapi/generated/${file}`)
  return denullify(JSON.parse(readFileSync(path, 'utf8'))) as Description
}

const pointer = (...parts: string[]): string =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')

export class ResponseValidator {
  private readonly ajv: Ajv
  private readonly cache = new Map<string, ValidateFunction | undefined>()

  constructor(readonly description: Description) {
    this.ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, logger: false })
    // ajv-formats is CommonJS: depending on the loader the plugin is the module or its `default`.
    const loaded = addFormatsModule as unknown as { default?: unknown }
    const addFormats = (typeof loaded === 'function' ? loaded : loaded.default) as (ajv: Ajv) => Ajv
    addFormats(this.ajv)
    this.ajv.addSchema(description, 'gh')
  }

  hasOperation(method: string, template: string): boolean {
    return this.description.paths[template]?.[method.toLowerCase()] !== undefined
  }

  /** The compiled schema for that response, or undefined when the description documents no JSON body. */
  validator(method: string, template: string, status: number): ValidateFunction | undefined {
    const key = `${method} ${template} ${status}`
    if (!this.cache.has(key))
      this.cache.set(key, this.compile(method.toLowerCase(), template, String(status)))
    return this.cache.get(key)
  }

  private compile(method: string, template: string, status: string): ValidateFunction | undefined {
    const response = this.description.paths[template]?.[method]?.responses?.[status]
    if (!response && Number(status) >= 400) {
      // Many operations leave their 404 undocumented; GitHub answers those with its basic-error shape.
      return this.ajv.compile({ $ref: 'gh#/components/schemas/basic-error' })
    }
    if (!response)
      throw new Error(`${method.toUpperCase()} ${template} documents no ${status} response`)
    const ref =
      typeof response.$ref === 'string'
        ? response.$ref.slice(2).split('/')
        : ['paths', template, method, 'responses', status]
    const target = ref.reduce<unknown>(
      (node, part) => (node as Json | undefined)?.[part],
      this.description
    ) as Json | undefined
    const content = target?.content as Record<string, Json> | undefined
    if (!content?.['application/json']?.schema) return undefined
    return this.ajv.compile({
      $ref: `gh#/${pointer(...ref, 'content', 'application/json', 'schema')}`
    })
  }
}
