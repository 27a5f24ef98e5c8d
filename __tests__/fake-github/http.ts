import type { AppIdentity, Installation, IssuedToken } from './types.js'
import type { State } from './state.js'

/** What a route hands back; the server adds the headers every response carries. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface RouteContext {
  method: string
  path: string
  params: Record<string, string>
  query: Record<string, string>
  /** The request's headers, names in lower case (see RecordedRequest). */
  headers: Record<string, string>
  body: unknown
  state: State
  app: AppIdentity
  /** Public base URL including any GHES prefix, used for *_url fields. */
  baseUrl: string
  /** Set for token-authenticated routes. */
  token?: IssuedToken & { installation: Installation; record: IssuedToken }
}

export interface Route {
  method: string
  /** OpenAPI path template, e.g. '/repos/{owner}/{repo}/installation'. */
  template: string
  auth: 'jwt' | 'token'
  handle(ctx: RouteContext): Reply
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

/** GitHub's error shape: `{ message, documentation_url, status: "404" }`. */
export function errorBody(
  status: number,
  message: string,
  extra: Record<string, unknown> = {}
): unknown {
  return {
    message,
    ...extra,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status)
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found')
export const forbidden = (): HttpError =>
  new HttpError(403, 'Resource not accessible by integration')
export const unprocessable = (message: string): HttpError => new HttpError(422, message)

/** GitHub's timestamps have no milliseconds: '2026-11-23T17:00:00Z'. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Slices a list like GitHub: per_page (default 30, at most 100), page, and a Link header. */
export function paginate<T>(
  ctx: RouteContext,
  items: T[]
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100)
  const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams({ ...ctx.query, per_page: String(perPage), page: String(n) })
    return `<${ctx.baseUrl}${ctx.path}?${query.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
  return { page: items.slice((page - 1) * perPage, page * perPage), headers }
}
