/**
 * The runner cancelling the workflow run: SIGINT, then SIGTERM, mid-poll, on every platform. The step
 * must report `canceled`, write its outputs and summary, and exit inside the runner's 7.5 s grace period.
 */
import { describe, expect, it } from '@jest/globals'
import { runAction } from '../e2e/run-action.js'
import { leakedSecrets } from './support/audit.js'
import { PLATFORMS } from './support/platforms.js'

const GRACE_MS = 7500

const cases = PLATFORMS.flatMap(platform =>
  (['SIGINT', 'SIGTERM'] as const).map(signal => [platform.label, signal, platform] as const)
)

describe('cancellation mid-poll', () => {
  it.concurrent.each(cases)(
    '%s stops on %s',
    async (_label, signal, platform) => {
      const started = await platform.start('endless')
      try {
        let signalledAt = 0
        let seen = ''
        const run = await runAction(
          { ...platform.inputs(started.upstream, 'endless'), timeout: '5m' },
          {
            env: platform.env,
            interrupt: { signal, when: platform.polling },
            // Sees each chunk just before runAction sends the signal on the same match.
            onStdout: text => {
              seen += text
              if (!signalledAt && platform.polling.test(seen)) signalledAt = Date.now()
            },
            killAfterMs: 40_000
          }
        )
        const exitedWithin = Date.now() - signalledAt
        expect(run.signal).toBeNull()
        expect(run.code).toBe(1)
        expect(run.outputs.status).toBe('canceled')
        expect(run.outputs['task-id']).toBeTruthy()
        expect(run.outputs.message).toMatch(/cancel/i)
        if (platform.noCancel) expect(run.outputs.message).toMatch(platform.noCancel)
        expect(run.summary).toContain('🛑 canceled')
        expect(JSON.parse(run.outputs.results ?? '[]')).toHaveLength(1)
        expect(leakedSecrets(run, platform.secrets)).toEqual([])
        expect(signalledAt).toBeGreaterThan(0)
        expect(exitedWithin).toBeLessThan(GRACE_MS)
      } finally {
        await started.close()
      }
    },
    60_000
  )
})
