import * as z from '../../zod.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import { refusal } from './errors.js'
import { booleanish, TransactionSchema, type Transaction } from './schemas.js'
import { deployedNames } from './status.js'
import { transactionFromXml } from './xml.js'

/**
 * Runtime Lock (GET) `…/runtimes/{runtime}/lock` answers only `{"busy": true}` (XML `<lock busy="true"/>`):
 * "Transactions are performed sequentially … each transaction … takes the runtime lock. The next transaction
 * waits until the lock is released" (r_restapi_runtime_lock_get). It does not say who holds it; the holder is
 * found in the runtime's transactions. Runtime Lock (DELETE) forces the release and "may corrupt the system":
 * this action never calls it.
 */
const LockSchema = z.looseObject({ busy: booleanish })

/**
 * Transactions (GET) `…/runtimes/{runtime}/transactions?orderBy=-created&pageSize=…` → `{items: [transaction…],
 * …paging}` (r_restapi_transactions_get; XML: a root element of `<transaction>` items, ASSUMED).
 */
const TransactionListSchema = z.looseObject({ items: z.nullish(z.array(TransactionSchema)) })

/** States in which a transaction holds the runtime lock (ASSUMED: it has left PENDING and not yet ended). */
const HOLDING = new Set(['PREPARING', 'COMMITTING', 'REJECTING'])
const ENDED = new Set(['SUCCESS', 'FAILURE', 'CANCELED'])

export interface LockReading {
  busy: boolean
  /** The transaction holding the lock, when one is identifiable. */
  holder?: Transaction
  /** Transactions not ended (but `mine`), newest first. */
  inFlight: Transaction[]
}

export class RuntimeLock {
  constructor(
    private readonly http: HttpClient,
    private readonly runtimePath: string,
    private readonly runtime: string,
    private readonly locale: string | undefined
  ) {}

  async busy(): Promise<boolean> {
    const body = await this.get('/lock', {})
    const record = (body ?? {}) as Record<string, unknown>
    const lock = 'lock' in record && Object.keys(record).length <= 2 ? record.lock : record
    return decode(LockSchema, lock, 'MobileFirst runtime lock').busy
  }

  /** The newest transactions first (IBM's `orderBy` sort modes: `-created` is newest first). */
  async latest(pageSize: number): Promise<Transaction[]> {
    const body = await this.get('/transactions', { orderBy: '-created', pageSize })
    return decode(TransactionListSchema, fromXmlList(body), 'MobileFirst transactions').items ?? []
  }

  /** Whether the runtime is locked, and by which transaction other than `mine`. */
  async read(mine: readonly string[] = []): Promise<LockReading> {
    if (!(await this.busy())) return { busy: false, inFlight: [] }
    const listed = await this.latest(50)
    // A transaction of `mine` seen PENDING a moment ago may have taken the lock since: then no other holds it
    // (MobileFirst runs one transaction at a time), and the lock is not a wait behind somebody else.
    if (listed.some(item => mine.includes(item.id) && HOLDING.has(item.status.toUpperCase())))
      return { busy: false, inFlight: [] }
    const recent = listed.filter(item => !mine.includes(item.id))
    const inFlight = recent.filter(item => !ENDED.has(item.status.toUpperCase()))
    const holding = inFlight.filter(item => HOLDING.has(item.status.toUpperCase()))
    // The oldest in flight holds it when none says so by its state: the lock is taken in order.
    const holder = holding.at(-1) ?? inFlight.at(-1)
    return { busy: true, holder, inFlight }
  }

  private async get(suffix: string, query: Record<string, string | number>): Promise<unknown> {
    const request: HttpRequest = {
      method: 'GET',
      path: `${this.runtimePath}${suffix}`,
      query: { ...query, locale: this.locale }
    }
    const response = await this.http.send(request)
    if (response.status < 200 || response.status >= 300) {
      throw refusal(this.http.describe(request), response.status, response.body, this.runtime, true)
    }
    return response.body
  }
}

/** `transaction 1001 (UPLOAD_ADAPTER of slow.adapter by admin, PREPARING since 2026-05-01T08:00:00.000Z)`. */
export function describeHolder(holder: Transaction | undefined): string {
  if (!holder) return 'a transaction this user cannot see'
  const what = deployedNames(holder)
  const type = holder.type ? `${holder.type}${what ? ` of ${what}` : ''}` : (what ?? 'a deployable')
  const who = holder.userName ? ` by ${holder.userName}` : ''
  const since = holder.timeUpdated ?? holder.timeCreated
  return `transaction ${holder.id} (${type}${who}, ${holder.status}${since ? ` since ${since}` : ''})`
}

function fromXmlList(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body
  const record = body as Record<string, unknown>
  const names = Object.keys(record).filter(name => !name.startsWith('?'))
  if ('items' in record || names.length !== 1) return body
  const root = record[names[0] as string] as Record<string, unknown> | undefined
  const items = root?.transaction ?? root?.items
  if (items === undefined) return { items: [] }
  return { items: [items].flat().map(item => transactionFromXml(item)) }
}
