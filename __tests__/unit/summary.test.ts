import { describe, expect, it } from '@jest/globals'
import { overallStatus, type DeploymentResult } from '../../src/engine/result.js'
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../../src/report/summary.js'

function result(overrides: Partial<DeploymentResult> = {}): DeploymentResult {
  return {
    name: 'ASOALL',
    platform: 'epmware',
    operation: 'run',
    target: 'ASOALL',
    status: 'succeeded',
    taskId: '244596',
    message: 'Deployment completed successfully',
    durationSeconds: 95,
    percent: 100,
    remoteCode: 'S',
    remoteLabel: 'completed',
    logTail: ['line 1', 'line 2'],
    warnings: [],
    followUps: [],
    ...overrides
  }
}

describe('renderSummary', () => {
  it('shows the outcome, a table row and the log tail', () => {
    const text = renderSummary([result()], 50)
    expect(text).toContain('## ✅ succeeded: EPMware run ASOALL')
    expect(text).toContain(
      '| EPMware | ASOALL | run | 244596 | ✅ succeeded | 1m35s | 100% completed (S) | Deployment completed successfully |'
    )
    expect(text).toContain('<pre>\nline 1\nline 2\n</pre>')
  })

  it('escapes what the server sent, so a message cannot break the table or inject HTML', () => {
    const text = renderSummary([result({ status: 'failed', message: 'bad | <script>x</script>\nnext' })], 50)
    expect(text).toContain('bad \\| &lt;script&gt;x&lt;/script&gt;<br>next')
    expect(text).not.toContain('<script>')
  })

  it('states the failure and its hint', () => {
    const text = renderSummary(
      [result({ status: 'failed', message: 'HTTP 401', hint: 'Check the token' })],
      50
    )
    expect(text).toContain('> **ASOALL failed:** HTTP 401')
    expect(text).toContain('> **Hint:** Check the token')
  })

  it('stays under GitHub’s 1 MiB summary limit, however long the log lines', () => {
    const huge = Array.from({ length: 1000 }, (_, index) => `${index} ${'x'.repeat(5000)}`)
    const many = Array.from({ length: 30 }, (_, index) => result({ name: `D${index}`, logTail: huge }))
    const text = renderSummary(many, 1000)
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
    expect(text).toContain('| EPMware | ASOALL | run |')
  })

  it('heads several deployments with the worst outcome', () => {
    expect(overallStatus([result(), result({ status: 'timed-out' }), result({ status: 'skipped' })])).toBe(
      'timed-out'
    )
    expect(renderSummary([result(), result({ name: 'B', status: 'failed' })], 5)).toMatch(
      /^## ❌ failed: 2 deployments/
    )
  })
})
