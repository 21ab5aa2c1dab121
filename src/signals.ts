/**
 * The signals a runner sends to stop a step, caught from the bundle's first instruction: imported first by
 * index.ts, so a SIGINT while the rest of the code loads, or while the inputs are read, is remembered and
 * answered with a `canceled` report instead of killing the process with nothing written.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
export type StopSignal = (typeof STOP_SIGNALS)[number]

export interface SignalSource {
  /** Calls `listener` for each stop signal, at once if one already came; returns how to stop listening. */
  listen(listener: (signal: StopSignal) => void): () => void
}

/** A latch over a process-like emitter: the first signal is kept for listeners that come later. */
export function signalLatch(emitter: Pick<NodeJS.Process, 'on'>): SignalSource {
  const listeners = new Set<(signal: StopSignal) => void>()
  let first: StopSignal | undefined
  for (const name of STOP_SIGNALS) {
    emitter.on(name, () => {
      first ??= name
      for (const listener of listeners) listener(name)
    })
  }
  return {
    listen(listener) {
      listeners.add(listener)
      if (first) listener(first)
      return () => listeners.delete(listener)
    }
  }
}

/** The real process's signals, caught as soon as this module is evaluated. */
export const processSignals: SignalSource = signalLatch(process)
