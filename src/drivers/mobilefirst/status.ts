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
