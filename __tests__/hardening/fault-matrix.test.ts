/**
 * Every fault of issue 8, against every platform, through the bundled action: what the user sees, that
 * the job was triggered exactly once, that status, message and summary were written, that the step ended
 * within its deadline (+ the runner's 7.5 s grace) and that no credential was written anywhere.
 * The runs are independent (a simulator and a gate each) and run concurrently; the long ones first.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { runAction, type ActionRun } from '../e2e/run-action.js'
import { leakedSecrets } from './support/audit.js'
import { startGate, type Gate } from './support/gate.js'
import { PLATFORMS, type Job, type PlatformSetup } from './support/platforms.js'
import { mapConcurrently } from './support/pool.js'

const GRACE_MS = 7500
/** Node start-up and the runner emulation, on two busy cores. */
const SLACK_MS = 5000
const VANISH_MS = 30_000

interface FaultCase {
  id: string
  fault: string
  /** What the user sees, for docs/hardening.md. */
  sees: string
  status: string
  message?: RegExp
  /** Platforms that end otherwise, by design. */
  except?: Partial<Record<string, { status: string; message?: RegExp }>>
  /** Triggers that reached the server: 1, or 0 when it never could. */
  triggers: number
  timeout?: string
  job?: Job
  long?: boolean
  /** The platform's base-url points at a port nobody listens on. */
  refused?: boolean
  applies?(platform: PlatformSetup): boolean
  inject?(gate: Gate, platform: PlatformSetup): void
}

/** Does `action` once polling has begun: after the trigger, or after the reads that are the platform's start. */
function midPoll(gate: Gate, platform: PlatformSetup, action: () => void): void {
  let reads = 0
  gate.arm(request => {
    if (platform.readsBeforePolling === 0) return platform.isTrigger(request)
    if (request.method === 'GET' && platform.statusPath.test(request.path)) reads++
    return reads >= platform.readsBeforePolling
  }, action)
}

const onStatus = (platform: PlatformSetup) => ({ method: 'GET', path: platform.statusPath })

const CASES: FaultCase[] = [
  {
    id: 'reset',
    fault: 'Connection reset (twice) on a status read',
    sees: 'retry notes in the log; the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) =>
      midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'reset', times: 2 }))
  },
  {
    id: 'refused',
    fault: 'Connection refused (nothing listens at base-url)',
    sees: '`failed`: “… failed: connect ECONNREFUSED …”, hint to check base-url, after 5 attempts',
    status: 'failed',
    message: /ECONNREFUSED/,
    triggers: 0,
    refused: true
  },
  {
    id: '503-burst',
    fault: 'A burst of four 503s on status reads',
    sees: 'retry notes; the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) =>
      midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'status', status: 503, times: 4 }))
  },
  {
    id: '429',
    fault: '429 with `Retry-After: 2`',
    sees: 'waits the 2 s the server asked for, then the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) =>
      midPoll(gate, p, () =>
        gate.faults.push({ match: onStatus(p), kind: 'status', status: 429, headers: { 'retry-after': '2' } })
      )
  },
  {
    id: '502-html',
    fault: 'A 502 HTML page from a proxy',
    sees: 'a retry note; the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) => midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'html' }))
  },
  {
    id: 'truncated',
    fault: 'Truncated JSON (connection dropped mid-body)',
    sees: 'a retry note; the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) => midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'truncated' }))
  },
  {
    id: 'garbage',
    fault: 'Garbage where JSON was expected (200)',
    sees: 'a retry note; the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    inject: (gate, p) => midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'garbage' }))
  },
  {
    id: 'slow-read',
    fault: 'A status read slower than the 30 s request timeout',
    sees: '“… got no answer within 30s; retrying”, then the job’s real outcome',
    status: 'succeeded',
    triggers: 1,
    timeout: '2m',
    long: true,
    inject: (gate, p) =>
      midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'delay', delayMs: 40_000 }))
  },
  {
    id: 'slow-trigger',
    fault: 'A trigger slower than the 30 s request timeout',
    sees: '`failed`: “POST … got no answer within 30s”; never sent twice. EPMware’s trigger may block (`timeout_min`): it waits up to the deadline',
    status: 'failed',
    message: /got no answer within 30s/,
    except: { epmware: { status: 'succeeded', message: /Deployment completed successfully/ } },
    triggers: 1,
    timeout: '2m',
    long: true,
    applies: p => p.platform !== 'bmc-rpm',
    inject: gate => gate.faults.push({ match: { method: 'POST' }, kind: 'delay', delayMs: 40_000 })
  },
  {
    id: '401',
    fault: '401 halfway through polling',
    sees: '`failed` with the platform’s 401 message and a hint on the credentials',
    status: 'failed',
    message: /401/,
    triggers: 1,
    inject: (gate, p) =>
      midPoll(gate, p, () => gate.faults.push({ match: onStatus(p), kind: 'status', status: 401 }))
  },
  {
    id: 'vanish',
    fault: 'The server vanishes for 30 s (connection refused) and returns',
    sees: 'retry notes while it is away; the job’s real outcome once it is back',
    status: 'succeeded',
    triggers: 1,
    timeout: '2m',
    long: true,
    inject: (gate, p) => midPoll(gate, p, () => gate.vanish(p.statusPath, VANISH_MS))
  },
  {
    id: 'never-ends',
    fault: 'A job that never ends (timeout 4s)',
    sees: '`timed-out`: “… did not finish within the timeout of 4s”, remote cancel where the platform has one',
    status: 'timed-out',
    message: /did not finish within the timeout of 4s|window/,
    triggers: 1,
    timeout: '4s',
    job: 'endless'
  }
]

interface Cell {
  fault: FaultCase
  platform: PlatformSetup
  run: ActionRun
  triggers: number
  reached: number
  deadlineMs: number
}

function timeoutMs(text: string): number {
  const match = /^(\d+)(s|m)$/.exec(text)
  return Number(match?.[1]) * (match?.[2] === 'm' ? 60_000 : 1000)
}

async function runCell(fault: FaultCase, platform: PlatformSetup): Promise<Cell> {
  const job = fault.job ?? 'quick'
  const timeout = fault.timeout ?? '20s'
  const started = await platform.start(job)
  const gate = await startGate(started.upstream)
  try {
    if (fault.refused) await gate.close()
    fault.inject?.(gate, platform)
    const run = await runAction(
      { ...platform.inputs(gate.url, job), timeout },
      { env: platform.env, killAfterMs: timeoutMs(timeout) + GRACE_MS + 20_000 }
    )
    return {
      fault,
      platform,
      run,
      triggers: gate.requests.filter(request => platform.isTrigger(request)).length,
      reached: gate.requests.length,
      deadlineMs: timeoutMs(timeout)
    }
  } finally {
    await gate.close()
    await started.close()
  }
}

const plan = CASES.flatMap(fault =>
  PLATFORMS.filter(platform => fault.applies?.(platform) ?? true).map(platform => ({ fault, platform }))
).sort((a, b) => Number(Boolean(b.fault.long)) - Number(Boolean(a.fault.long)))

const cells = new Map<string, Cell>()
const key = (fault: string, platform: string) => `${fault}/${platform}`

beforeAll(async () => {
  const results = await mapConcurrently(plan, 16, ({ fault, platform }) => runCell(fault, platform))
  for (const cell of results) cells.set(key(cell.fault.id, cell.platform.platform), cell)
}, 240_000)

/** Triggers counted the way the platform starts a job: BMC RPM's wait-for-window starts none. */
const expectedTriggers = (cell: Cell) => (cell.platform.platform === 'bmc-rpm' ? 0 : cell.fault.triggers)

describe.each(CASES.map(fault => [fault.fault, fault] as const))('%s', (_title, fault) => {
  const platforms = PLATFORMS.filter(platform => fault.applies?.(platform) ?? true)
  it.each(platforms.map(platform => [platform.label, platform] as const))('%s', (_label, platform) => {
    const cell = cells.get(key(fault.id, platform.platform))
    if (!cell) throw new Error('the run did not happen')
    const { run } = cell
    const context = `${platform.platform}/${fault.id}: ${run.outputs.message ?? run.stdout.slice(-2000)}`
    const expected = fault.except?.[platform.platform] ?? fault
    expect([context, run.outputs.status]).toEqual([context, expected.status])
    if (expected.message) expect(run.outputs.message).toMatch(expected.message)
    expect(run.outputs.message).toBeTruthy()
    expect(run.code).toBe(expected.status === 'succeeded' ? 0 : 1)
    expect(run.summary).toMatch(/^## /m)
    expect(JSON.parse(run.outputs.results ?? '[]')).toHaveLength(1)
    expect(cell.triggers).toBe(expectedTriggers(cell))
    if (fault.refused) expect(cell.reached).toBe(0)
    expect(run.elapsedMs).toBeLessThan(cell.deadlineMs + GRACE_MS + SLACK_MS)
    expect(leakedSecrets(run, platform.secrets)).toEqual([])
  })
})

describe('the fault-matrix table in docs/hardening.md and the README', () => {
  it.each(['docs/hardening.md', 'README.md'])('%s holds the table these runs produce', async name => {
    const doc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', name)
    const text = readFileSync(doc, 'utf8')
    if (process.env.HARDENING_WRITE_DOC === '1') {
      const [before, rest] = text.split(START)
      const after = rest?.split(END)[1] ?? '\n'
      const updated = `${before}${START}\n${renderTable()}${END}${after}`
      const options = (await prettier.resolveConfig(doc)) ?? {}
      writeFileSync(doc, await prettier.format(updated, { ...options, filepath: doc }))
    } else {
      expect(tableRows(text)).toEqual(tableRows(renderTable()))
    }
  })
})

const START = '<!-- fault-matrix:start -->'
const END = '<!-- fault-matrix:end -->'

/** The table's cells, whatever padding prettier gave it. */
function tableRows(markdown: string): string[] {
  const section = markdown.includes(START) ? (markdown.split(START)[1]?.split(END)[0] ?? '') : markdown
  return section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .map(line =>
      line
        .split('|')
        .map(cell => cell.trim().replace(/^-+$/, '---'))
        .join('|')
    )
}

function renderTable(): string {
  const header = `| Fault | ${PLATFORMS.map(p => p.label).join(' | ')} | What the user sees |`
  const rule = `|---|${PLATFORMS.map(() => '---').join('|')}|---|`
  const rows = CASES.map(fault => {
    const statuses = PLATFORMS.map(platform => {
      const cell = cells.get(key(fault.id, platform.platform))
      if (!cell) return 'n/a'
      const triggers = expectedTriggers(cell) === 0 ? '' : `, ${cell.triggers} trigger`
      return `${cell.run.outputs.status ?? '(none)'}${triggers}`
    })
    return `| ${fault.fault} | ${statuses.join(' | ')} | ${fault.sees} |`
  })
  return `${[header, rule, ...rows].join('\n')}\n`
}
