/** Time as the engine sees it: injected, so tests and the bench run polling in virtual time. */
export interface Clock {
  now(): number
  /** Resolves after ms, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Node fires a timer at once when its delay exceeds a signed 32-bit number of ms (~24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepInChunks(ms, signal, MAX_TIMER_MS)
}

/**
 * Sleeps ms in timers of at most `chunkMs` each, so a sleep of any length (a BMC window weeks away) waits
 * its whole length instead of firing at once; an abort ends it at any point.
 */
export function sleepInChunks(ms: number, signal: AbortSignal | undefined, chunkMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const end = Date.now() + Math.max(0, ms)
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const wait = (left: number) => {
      timer = setTimeout(
        () => {
          const rest = end - Date.now()
          if (rest > 0) return wait(rest)
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.min(left, chunkMs)
      )
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    // At least one timer, even for 0 ms: a sleep always yields to I/O, as before.
    wait(Math.max(0, end - Date.now()))
  })
}

/** A clock that only moves when the code under test sleeps: each sleep advances it at once. */
export class VirtualClock implements Clock {
  constructor(private current = 0) {}

  now(): number {
    return this.current
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason
    this.current += Math.max(0, ms)
    await Promise.resolve()
  }

  advance(ms: number): void {
    this.current += ms
  }
}
