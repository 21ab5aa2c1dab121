import type { RemoteStatus } from '../driver.js'
import type { Transaction } from './schemas.js'

/**
 * Transaction states ("Deploy (POST)" page): synchronous transactions end SUCCESS or FAILURE; asynchronous
 * ones pass through PENDING, PREPARING, COMMITTING or REJECTING (rolling back) first.
 */
const STATES: Record<string, { state: RemoteStatus['state']; label: string }> = {
  PENDING: { state: 'running', label: 'pending' },
  PREPARING: { state: 'running', label: 'preparing' },
  COMMITTING: { state: 'running', label: 'committing' },
  REJECTING: { state: 'running', label: 'rolling back' },
  SUCCESS: { state: 'succeeded', label: 'succeeded' },
  FAILURE: { state: 'failed', label: 'failed' },
  CANCELED: { state: 'canceled', label: 'canceled' }
}

export function isKnownState(status: string): boolean {
  return status.trim().toUpperCase() in STATES
}

/** What the transaction deployed, in words: the artifacts' names when the service lists them. */
export function deployedNames(transaction: Transaction): string | undefined {
  const description = transaction.description
  const names = description?.contentNames?.length
    ? description.contentNames
    : [description?.filename ?? description?.name].filter((name): name is string => Boolean(name))
  return names.length ? names.join(', ') : undefined
}

function messageOf(transaction: Transaction, state: RemoteStatus['state']): string {
  const id = transaction.id
  const project = transaction.project?.name
  const where = project ? ` to runtime ${project}` : ''
  const what = deployedNames(transaction)
  if (state === 'succeeded') return `Transaction ${id} deployed ${what ?? 'the deployables'}${where}`
  if (state === 'canceled') return `Transaction ${id} was canceled${what ? ` (${what})` : ''}`
  if (state === 'failed') {
    const details = transaction.errors
      .map(error => error.details?.trim())
      .filter((detail): detail is string => Boolean(detail))
    if (details.length === 0) return `Transaction ${id} failed; MobileFirst gave no error details`
    if (details.length === 1) return `Transaction ${id} failed: ${details[0]}`
    return `Transaction ${id} failed with ${details.length} errors: ${details.map((detail, index) => `(${index + 1}) ${detail}`).join('; ')}`
  }
  return `Transaction ${id}: deploying ${what ?? 'the deployables'}${where}`
}

export function mapTransaction(transaction: Transaction): RemoteStatus {
  const code = transaction.status.trim().toUpperCase()
  const known = STATES[code]
  const state = known?.state ?? 'running'
  return {
    state,
    code: transaction.status,
    label: known?.label ?? `unknown status '${transaction.status}'`,
    message: messageOf(transaction, state),
    details: transaction
  }
}

/**
 * Several transactions (one per deployable) read as one job: running while any runs; then failed if any
 * failed, canceled if any was canceled, succeeded when all succeeded. One transaction reads as itself.
 */
export function combineStatuses(statuses: RemoteStatus[]): RemoteStatus {
  const [only] = statuses
  if (statuses.length === 1 && only) return only
  const running = statuses.filter(status => status.state === 'running')
  const failed = statuses.filter(status => status.state === 'failed')
  const canceled = statuses.filter(status => status.state === 'canceled')
  const state: RemoteStatus['state'] = running.length
    ? 'running'
    : failed.length
      ? 'failed'
      : canceled.length
        ? 'canceled'
        : 'succeeded'
  const shown = running.length ? running : failed.length ? failed : canceled.length ? canceled : statuses
  const warnings = statuses.map(status => status.warning).filter(Boolean)
  return {
    state,
    code: statuses.map(status => status.code).join(','),
    label: `${statuses.length - running.length} of ${statuses.length} ended${failed.length ? `, ${failed.length} failed` : ''}`,
    message: shown
      .map(status => status.message)
      .filter(Boolean)
      .join('; '),
    warning: warnings.length ? warnings.join('; ') : undefined,
    details: statuses.map(status => status.details)
  }
}
