/** Time as the engine sees it: injected, so tests and the bench run polling in virtual time. */
export interface Clock {
  now(): number
  /** Resolves after ms, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms)
      )
      signal?.addEventListener('abort', onAbort, { once: true })
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
