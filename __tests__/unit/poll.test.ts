import { describe, expect, it } from '@jest/globals'
import type { RemoteStatus } from '../../src/drivers/driver.js'
import { VirtualClock } from '../../src/engine/clock.js'
import { pollUntilDone, type PollOptions } from '../../src/engine/poll.js'
import { ActionError } from '../../src/errors.js'

const running: RemoteStatus = { state: 'running', code: 'R' }
const done: RemoteStatus = { state: 'succeeded', code: 'S' }

function options(
  clock: VirtualClock,
  read: PollOptions['read'],
  overrides: Partial<PollOptions> = {}
): PollOptions {
  return {
    clock,
    signal: new AbortController().signal,
    deadline: 3_600_000,
    startedAt: 0,
    minIntervalMs: 2000,
    maxIntervalMs: 30_000,
    read,
    onStatus: () => undefined,
    onTransientError: () => undefined,
    ...overrides
  }
}

/** A job that ends at `endsAt` in clock time. */
function jobEndingAt(clock: VirtualClock, endsAt: number) {
  let reads = 0
  return {
    read: async () => {
      reads++
      return clock.now() >= endsAt ? done : running
    },
    reads: () => reads
  }
}

describe('pollUntilDone', () => {
  it.each([10_000, 60_000, 600_000, 3_600_000 - 60_000])(
    'notices a job of %d ms within max(poll-interval, 10 %% of its age), never over the maximum',
    async endsAt => {
      const clock = new VirtualClock()
      const job = jobEndingAt(clock, endsAt)
      const result = await pollUntilDone(options(clock, job.read))
      expect(result.kind).toBe('ended')
      const lateBy = clock.now() - endsAt
      expect(lateBy).toBeLessThanOrEqual(Math.min(30_000, Math.max(2000, endsAt * 0.1)))
    }
  )

  it('reads less often than a fixed 10-second loop for a one-hour job', async () => {
    const clock = new VirtualClock()
    const job = jobEndingAt(clock, 3_600_000 - 1)
    await pollUntilDone(options(clock, job.read, { deadline: 7_200_000 }))
    expect(job.reads()).toBeLessThan(360 / 2)
  })

  it('waits as long as the driver says when it knows when to look again', async () => {
    const clock = new VirtualClock()
    const reads: number[] = []
    await pollUntilDone(
      options(
        clock,
        async () => {
          reads.push(clock.now())
          return reads.length < 3 ? { ...running, nextReadInMs: 3_600_000 } : done
        },
        { deadline: 10 * 3_600_000 }
      )
    )
    expect(reads).toEqual([2000, 3_602_000, 7_202_000])
  })

  it('times out at the deadline without reading past it', async () => {
    const clock = new VirtualClock()
    const job = jobEndingAt(clock, Number.POSITIVE_INFINITY)
    const result = await pollUntilDone(options(clock, job.read, { deadline: 90_000 }))
    expect(result).toEqual({ kind: 'timed-out', last: running })
    expect(clock.now()).toBe(90_000)
  })

  it('stops when the run is cancelled', async () => {
    const clock = new VirtualClock()
    const controller = new AbortController()
    let reads = 0
    const result = await pollUntilDone(
      options(
        clock,
        async () => {
          if (++reads === 3) controller.abort()
          return running
        },
        { signal: controller.signal }
      )
    )
    expect(result.kind).toBe('aborted')
    expect(reads).toBe(3)
  })

  it('rides out passing faults and ends on lasting ones', async () => {
    const clock = new VirtualClock()
    let reads = 0
    const transient: string[] = []
    const result = await pollUntilDone(
      options(
        clock,
        async () => {
          reads++
          if (reads <= 3) throw new ActionError('HTTP 503', { transient: true })
          return done
        },
        { onTransientError: error => transient.push(error.message) }
      )
    )
    expect(result.kind).toBe('ended')
    expect(transient).toHaveLength(3)

    await expect(
      pollUntilDone(
        options(new VirtualClock(), async () => {
          throw new ActionError('HTTP 401 token refused')
        })
      )
    ).rejects.toThrow('HTTP 401 token refused')

    await expect(
      pollUntilDone(
        options(
          new VirtualClock(),
          async () => {
            throw new ActionError('HTTP 503', { transient: true })
          },
          { transientToleranceMs: 60_000 }
        )
      )
    ).rejects.toThrow(/kept failing for 60s/)
  })
})
