import { serverUrlFor } from '../../../src/lib/handoff/server-url.js'

/**
 * Issue 13, item 11: the web server behind an API URL, which git's credential origin, 'bot-email'
 * and 'runner-url' are built from. The runner here is github.com's, so every URL below is derived.
 */
const run = { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com' }

describe('serverUrlFor: the server behind an API URL', () => {
  test.each([
    // github.com's API has a host of its own and no path: api. is dropped.
    ['https://api.github.com/', 'https://github.com'],
    ['https://API.GitHub.com', 'https://github.com'],
    // GitHub Enterprise Cloud with data residency: api.SUBDOMAIN.ghe.com.
    ['https://api.octocorp.ghe.com', 'https://octocorp.ghe.com'],
    ['https://api.octocorp.ghe.com//', 'https://octocorp.ghe.com'],
    // GitHub Enterprise Server: HOST/api/v3, whatever HOST is called, its port kept.
    ['https://ghes.example/api/v3', 'https://ghes.example'],
    ['https://ghes.example/api/v3/', 'https://ghes.example'],
    ['https://api.ghes.example/api/v3', 'https://api.ghes.example'],
    ['https://github.corp.example/api/v3', 'https://github.corp.example'],
    ['https://ghes.example:8443/api/v3', 'https://ghes.example:8443'],
    ['https://api.ghes.example:8443/api/v3', 'https://api.ghes.example:8443'],
    ['http://10.0.0.5:8080/api/v3', 'http://10.0.0.5:8080'],
    // A GHES behind a path-routing proxy keeps its path.
    ['https://proxy.example/github/api/v3', 'https://proxy.example/github'],
    // An api. host with a port and no path: github.com's shape on another port.
    ['https://api.ghes.example:8443', 'https://ghes.example:8443'],
    // Neither shape: the URL is taken as the server itself.
    ['https://ghes.example', 'https://ghes.example'],
    ['https://api.example/v3', 'https://api.example/v3']
  ])('%s → %s', (apiUrl, server) => {
    expect(serverUrlFor(run, apiUrl)).toBe(server)
  })

  test("the runner's own API: the runner's server URL, whatever the shapes", () => {
    const ghes = { serverUrl: 'https://ghes.example/', apiUrl: 'https://api.ghes.example/api/v3/' }
    expect(serverUrlFor(ghes, 'https://api.ghes.example/api/v3')).toBe('https://ghes.example')
  })
})
