import type { FakeGitHub, RecordedRequest } from '../fake-github/server.js'
import type { Job, StepResult } from './run-action.js'

/**
 * A scenario as a whole, for a jest snapshot (as actions/create-github-app-token's tests/ keep
 * theirs): each step with the requests the fake saw while it ran, what it printed (workflow
 * commands included, so the ::add-mask:: lines show where they came), its outputs, state and
 * summary. What changes from run to run is written as a name: the secrets (given by the test),
 * the job's folders, the fake's URL, times and durations. Secrets appear only as their name, so
 * a snapshot file can never hold one.
 */
export class Transcript {
  private seen = 0
  private readonly parts: string[] = []

  constructor(
    private readonly fake: FakeGitHub,
    private readonly job: Job
  ) {}

  /** Records a step that just ran, with the requests since the previous one; returns it. */
  add(name: string, step: StepResult): StepResult {
    const requests = this.fake.requests.slice(this.seen)
    this.seen = this.fake.requests.length
    this.parts.push(
      [
        `## ${name}: exit code ${step.exitCode}`,
        section('requests', requests.map(describeRequest)),
        section('stdout', step.stdout.split('\n').filter(Boolean)),
        section('stderr', step.stderr.split('\n').filter(Boolean)),
        section('outputs', entries(step.outputs)),
        section('state', entries(step.state)),
        section('summary', step.summary.split('\n').filter(Boolean))
      ]
        .filter(Boolean)
        .join('\n')
    )
    return step
  }

  /** The transcript with each secret (value → name, e.g. `<token>`) and run-bound value named. */
  render(secrets: Record<string, string>): string {
    let text = `\n${this.parts.join('\n\n')}\n`
    const named: [string, string][] = [
      ...Object.entries(secrets).map(([name, value]): [string, string] => [value, name]),
      [this.job.temp, '$RUNNER_TEMP'],
      [this.job.workspace, '$GITHUB_WORKSPACE'],
      [this.fake.url, '$GITHUB_API_URL']
    ]
    // Longest first, so that a value containing another is named whole.
    for (const [value, name] of named.sort(([a], [b]) => b.length - a.length))
      if (value) text = text.split(value).join(name)
    return text
      .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z| UTC)/g, '<time>')
      .replace(/\b\d+ ms\b/g, '<n> ms')
      .replace(/\(in \d+ min\)/g, '(in <n> min)')
  }
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : [`${title}:`, ...lines.map((line) => `  ${line}`)].join('\n')
}

function entries(values: Record<string, string>): string[] {
  return Object.entries(values).map(([name, value]) => `${name}=${value}`)
}

/** 'POST /app/installations/1000/access_tokens (jwt) {"repositories":["app"]} → 201'. */
function describeRequest(r: RecordedRequest): string {
  const body = r.body === undefined ? '' : ` ${JSON.stringify(r.body)}`
  return `${r.method} ${r.path} (${r.auth})${body} → ${r.status || 'no reply'}`
}
