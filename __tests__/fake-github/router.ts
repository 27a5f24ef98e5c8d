/** Matches a request path against the OpenAPI path templates the fake serves. */
import type { Route } from './http.js'
import { identityRoutes } from './routes-identity.js'
import { installationRoutes } from './routes-installations.js'
import { runnerGroupRoutes } from './routes-runner-groups.js'
import { runnerRoutes } from './routes-runners.js'

export const routes: Route[] = [
  ...installationRoutes,
  ...runnerRoutes,
  ...runnerGroupRoutes,
  ...identityRoutes
]

const compiled = routes.map((route) => {
  const names: string[] = []
  const source = route.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { route, names, pattern: new RegExp(`^${source}$`) }
})

export function matchRoute(
  method: string,
  path: string
): { route: Route; params: Record<string, string> } | undefined {
  for (const { route, names, pattern } of compiled) {
    const match = route.method === method ? pattern.exec(path) : null
    if (match) {
      const params = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')])
      )
      return { route, params }
    }
  }
  return undefined
}
