/**
 * The wind-down: what the engine still does once the deadline has passed or the run was cancelled — one
 * last status read, the remote cancel, the log fetch — each inside a budget of its own, never tied to the
 * run's (already aborted) signal nor to the (already passed) deadline.
 */

/**
 * The runner kills a step 7.5 s after its SIGINT; the engine's share leaves time to write the outputs, the
 * summary and the GitHub deployment's status.
 */
export const SIGNAL_WIND_DOWN_MS = 5000
/** After the timeout: the few seconds past `timeout` that a last read, a cancel and the log may take. */
export const TIMEOUT_WIND_DOWN_MS = 10_000

export type WindDownStep = 'last read' | 'cancel' | 'log'

/** Shares of the budget, in order: a hanging last read cannot take the cancel's or the log's time. */
const SHARE: Record<WindDownStep, number> = { 'last read': 0.3, cancel: 0.3, log: 0.4 }
const ORDER: WindDownStep[] = ['last read', 'cancel', 'log']

/** Clock times at which each step of a wind-down that starts at `start` with `budgetMs` must end. */
export function windDownDeadlines(start: number, budgetMs: number): Record<WindDownStep, number> {
  let at = start
  const deadlines = {} as Record<WindDownStep, number>
  for (const step of ORDER) {
    at += Math.round(budgetMs * SHARE[step])
    deadlines[step] = at
  }
  deadlines.log = start + budgetMs
  return deadlines
}
