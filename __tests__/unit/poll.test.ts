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

/*
 * Boundaries of the poll loop, at non-zero clock times so that age and deadline arithmetic is pinned.
 * Equivalent mutants left alive (docs/mutation.md): `wait > 0` → `wait >= 0` / `true` (the clock's sleep of
 * 0 or less returns at once, so skipping it or not reads at the same time).
 */
describe('pollUntilDone at non-zero clock times', () => {
  const T0 = 1_000_000

  function failingRead(clock: VirtualClock, reads: number[], error: () => Error, okAt: number[] = []) {
    return async () => {
      reads.push(clock.now())
      if (okAt.includes(clock.now())) return running
      throw error()
    }
  }

  it('counts the job’s age from startedAt: a fresh job is read after the minimum interval', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    await pollUntilDone(
      options(
        clock,
        async () => {
          reads.push(clock.now())
          return reads.length < 3 ? running : done
        },
        { startedAt: T0, deadline: T0 + 3_600_000 }
      )
    )
    expect(reads).toEqual([T0 + 2000, T0 + 4000, T0 + 6000])
  })

  it('waits 10 % of the age of a job that started earlier', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    await pollUntilDone(
      options(
        clock,
        async () => {
          reads.push(clock.now())
          return reads.length < 2 ? running : done
        },
        { startedAt: T0 - 100_000, deadline: T0 + 3_600_000 }
      )
    )
    // age 100 s → 10 s; then age 110 s → 11 s
    expect(reads).toEqual([T0 + 10_000, T0 + 21_000])
  })

  it('shortens the last wait to the deadline and gives up exactly there', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    const result = await pollUntilDone(
      options(
        clock,
        async () => {
          reads.push(clock.now())
          return running
        },
        { startedAt: T0, deadline: T0 + 5000 }
      )
    )
    expect(reads).toEqual([T0 + 2000, T0 + 4000])
    expect(clock.now()).toBe(T0 + 5000)
    expect(result).toEqual({ kind: 'timed-out', last: running })
  })

  it('gives up on passing faults at the exact clock time the tolerance runs out', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    const transient: ActionError[] = []
    const error = new ActionError('GET /status answered HTTP 503', {
      transient: true,
      httpStatus: 503,
      hint: 'try later'
    })
    const failure = await pollUntilDone(
      options(
        clock,
        failingRead(clock, reads, () => error),
        {
          startedAt: T0,
          minIntervalMs: 2000,
          maxIntervalMs: 2000,
          transientToleranceMs: 60_000,
          onTransientError: e => transient.push(e)
        }
      )
    ).catch((e: unknown) => e)
    expect(reads[0]).toBe(T0 + 2000)
    expect(reads.at(-1)).toBe(T0 + 2000 + 60_000)
    expect(clock.now()).toBe(T0 + 62_000)
    expect(transient).toHaveLength(30)
    expect(transient[0]).toBe(error)
    expect(failure).toBeInstanceOf(ActionError)
    expect((failure as ActionError).message).toBe(
      'GET /status answered HTTP 503 (status reads kept failing for 60s)'
    )
    expect((failure as ActionError).httpStatus).toBe(503)
    expect((failure as ActionError).hint).toBe('try later')
    expect((failure as ActionError).transient).toBe(false)
  })

  it('tolerates five minutes of passing faults by default', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    const failure = await pollUntilDone(
      options(
        clock,
        failingRead(clock, reads, () => new ActionError('HTTP 502', { transient: true })),
        { startedAt: T0, minIntervalMs: 1000, maxIntervalMs: 1000 }
      )
    ).catch((e: unknown) => e)
    expect(reads.at(-1)).toBe(T0 + 1000 + 300_000)
    expect((failure as ActionError).message).toBe('HTTP 502 (status reads kept failing for 300s)')
  })

  it('counts the tolerance again from the first fault after a good read', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    await pollUntilDone(
      options(
        clock,
        failingRead(clock, reads, () => new ActionError('HTTP 503', { transient: true }), [T0 + 50_000]),
        { startedAt: T0, minIntervalMs: 2000, maxIntervalMs: 2000, transientToleranceMs: 60_000 }
      )
    ).catch(() => undefined)
    // faults from T0+2s, a good read at T0+50s, faults again from T0+52s: given up at T0+112s
    expect(reads.at(-1)).toBe(T0 + 52_000 + 60_000)
  })

  it('ends at once on a lasting fault: one read, the error itself, nothing reported as passing', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    const transient: ActionError[] = []
    const error = new ActionError('GET /status answered HTTP 401', { httpStatus: 401 })
    const failure = await pollUntilDone(
      options(
        clock,
        failingRead(clock, reads, () => error),
        { startedAt: T0, onTransientError: e => transient.push(e) }
      )
    ).catch((e: unknown) => e)
    expect(failure).toBe(error)
    expect(reads).toEqual([T0 + 2000])
    expect(transient).toEqual([])
  })

  it('reports a read that fails at the deadline as timed out, keeping the last status', async () => {
    const clock = new VirtualClock(T0)
    let reads = 0
    const result = await pollUntilDone(
      options(
        clock,
        async () => {
          if (++reads === 1) return running
          clock.advance(T0 + 10_000 - clock.now())
          throw new ActionError('HTTP 401')
        },
        { startedAt: T0, deadline: T0 + 10_000 }
      )
    )
    expect(result).toEqual({ kind: 'timed-out', last: running })
  })

  it('reports a read that fails because the run was cancelled as aborted, keeping the last status', async () => {
    const clock = new VirtualClock(T0)
    const controller = new AbortController()
    let reads = 0
    const result = await pollUntilDone(
      options(
        clock,
        async () => {
          if (++reads === 1) return running
          controller.abort()
          throw new ActionError('HTTP 401')
        },
        { startedAt: T0, signal: controller.signal }
      )
    )
    expect(result).toEqual({ kind: 'aborted', last: running })
  })

  it('reports a sleep cut short by cancellation as aborted, keeping the last status', async () => {
    const virtual = new VirtualClock(T0)
    let sleeps = 0
    const clock = {
      now: () => virtual.now(),
      sleep: async (ms: number) => {
        if (++sleeps === 2) throw new Error('aborted')
        await virtual.sleep(ms)
      }
    } as unknown as VirtualClock
    const result = await pollUntilDone(options(clock, async () => running, { startedAt: T0 }))
    expect(result).toEqual({ kind: 'aborted', last: running })
  })

  it('hands every status to onStatus and ends on any state but running', async () => {
    const clock = new VirtualClock(T0)
    const seen: RemoteStatus[] = []
    const failed: RemoteStatus = { state: 'failed', code: 'F' }
    let reads = 0
    const result = await pollUntilDone(
      options(clock, async () => (++reads < 3 ? running : failed), {
        startedAt: T0,
        onStatus: status => seen.push(status)
      })
    )
    expect(result).toEqual({ kind: 'ended', status: failed })
    expect(seen).toEqual([running, running, failed])
  })

  it('does not read at all when the run is already cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    let reads = 0
    const result = await pollUntilDone(
      options(
        new VirtualClock(T0),
        async () => {
          reads++
          return running
        },
        { startedAt: T0, signal: controller.signal }
      )
    )
    expect(result).toEqual({ kind: 'aborted', last: undefined })
    expect(reads).toBe(0)
  })
})
