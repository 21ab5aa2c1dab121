import type { FinalStatus } from '../drivers/driver.js'
import { errorFields } from '../errors.js'

export interface BatchItem {
  name: string
  needs: readonly string[]
}

export interface BatchOptions<Item extends BatchItem, Result extends { status: FinalStatus }> {
  /** How many items run at once. */
  maxParallel: number
  /**
   * Every item runs, none waits for its needs (a dry run: nothing is triggered, so nothing has to be done
   * before a dependent is checked, and a failed check must not hide the checks of what needs it).
   */
  ignoreNeeds?: boolean
  /** Once aborted, nothing more starts; what has not started ends `canceled`. */
  signal: AbortSignal
  /** Runs one item to its end; expected never to throw (a throw counts as a failure). */
  execute(item: Item): Promise<Result>
  /** The result of an item that never ran: skipped (a dependency did not succeed), canceled, or failed. */
  notRun(item: Item, status: 'skipped' | 'canceled' | 'failed', message: string): Result
}

/** Outcomes a dependent cannot build on, as the message of a skipped dependent says them. */
const FAILING: Partial<Record<FinalStatus, string>> = {
  failed: 'failed',
  'timed-out': 'timed out',
  canceled: 'was canceled'
}

/**
 * Runs items in dependency order, independent ones in parallel up to maxParallel, starting ready items in
 * the order given. An item whose dependency failed, timed out or was canceled does not run: it ends
 * `skipped` with a message naming that dependency, and so do the items that need it; the rest finish.
 * Results come back in the order of the items. `needs` must form no cycle (checked with the inputs).
 */
export function runBatch<Item extends BatchItem, Result extends { status: FinalStatus }>(
  items: readonly Item[],
  options: BatchOptions<Item, Result>
): Promise<Result[]> {
  const results = new Map<string, Result>()
  /** Why an item did not run, for the message of what needs it. */
  const notRunBecause = new Map<string, string>()
  const names = new Set(options.ignoreNeeds ? [] : items.map(item => item.name))
  let pending = [...items]
  let running = 0

  return new Promise(resolve => {
    const settle = (item: Item, result: Result) => {
      results.set(item.name, result)
    }
    const blocker = (item: Item): string | undefined => {
      for (const need of item.needs) {
        if (!names.has(need)) continue
        const cause = notRunBecause.get(need)
        if (cause) return `not run: it needs ${need}, which did not run (${cause})`
        const done = results.get(need)
        const failed = done && FAILING[done.status]
        if (failed) return `not run: it needs ${need}, which ${failed}`
      }
      return undefined
    }
    const ready = (item: Item) => item.needs.every(need => !names.has(need) || results.has(need))
    const pump = () => {
      for (let changed = true; changed;) {
        changed = false
        for (const item of pending) {
          if (options.signal.aborted) {
            settle(item, options.notRun(item, 'canceled', 'not started: the workflow run was cancelled'))
          } else {
            const blocked = blocker(item)
            if (blocked) {
              notRunBecause.set(item.name, rootCause(item, blocked, notRunBecause))
              settle(item, options.notRun(item, 'skipped', blocked))
            } else if (!ready(item) || running >= options.maxParallel) continue
            else start(item)
          }
          pending = pending.filter(other => other !== item)
          changed = true
          break
        }
      }
      if (running === 0 && pending.length > 0) {
        // Unreachable while the inputs are checked for cycles; never hang if they were not.
        for (const item of pending)
          settle(item, options.notRun(item, 'failed', 'not run: its needs form a cycle'))
        pending = []
      }
      if (running === 0 && pending.length === 0) resolve(items.map(item => results.get(item.name) as Result))
    }
    const start = (item: Item) => {
      running++
      options
        .execute(item)
        .catch(error => options.notRun(item, 'failed', `failed unexpectedly: ${errorFields(error).message}`))
        .then(result => {
          settle(item, result)
          running--
          pump()
        })
    }
    pump()
  })
}

/** `hr-services failed`: the first failure down the chain, so a long chain names where it broke. */
function rootCause(item: BatchItem, message: string, notRunBecause: ReadonlyMap<string, string>): string {
  for (const need of item.needs) {
    const cause = notRunBecause.get(need)
    if (cause) return cause
  }
  return message.replace(/^not run: it needs (\S+), which /, '$1 ')
}
