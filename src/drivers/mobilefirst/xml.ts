/**
 * The administration service answers XML when asked (or when a proxy or an old server prefers it). The
 * shared client parses it with attributes as plain keys and every value a string; this turns that into the
 * JSON shape of the same answer, so one schema reads both. Sources: the XML examples of IBM's "Deploy
 * (POST)" and "Transaction (GET)" pages:
 *   <deploy-result ok="false" productVersion="8.0"><transaction id="1" status="FAILURE" …>
 *     <description name="myname" type="mytype"/><errors><error details="…"/>…</errors>
 *     <project name="myproject"/></transaction></deploy-result>
 *   <transaction id="1" status="FAILURE" …><description/><errors>…</errors><project name="…"/></transaction>
 */

type Json = Record<string, unknown>

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return []
  return Array.isArray(value) ? value : [value]
}

/** The document's single root element, without the `<?xml …?>` declaration. */
function rootOf(document: Json): { name: string; value: unknown } | undefined {
  const names = Object.keys(document).filter(name => !name.startsWith('?'))
  if (names.length !== 1) return undefined
  const name = names[0] as string
  return { name, value: document[name] }
}

/** An element with no attributes and no children comes back as ''. */
function element(value: unknown): Json {
  return isRecord(value) ? value : {}
}

/**
 * `contentNames` is a list of strings; its XML form is not shown on the page. Accept repeated elements
 * (`<contentNames>a</contentNames><contentNames>b</contentNames>`, JAXB's default), a wrapper
 * (`<contentNames><contentName>a</contentName>…`) and a comma-joined attribute.
 */
function contentNames(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const names = asArray(value).flatMap(item => {
    if (typeof item === 'string') return item.split(',')
    if (isRecord(item)) return asArray(item.contentName ?? item['#text']).map(String)
    return []
  })
  return names.map(name => name.trim()).filter(Boolean)
}

function description(value: unknown): Json {
  const result = { ...element(value) }
  const names = contentNames(result.contentNames)
  if (names) result.contentNames = names
  return result
}

export function transactionFromXml(value: unknown): Json {
  const transaction = { ...element(value) }
  const errors = element(transaction.errors)
  transaction.errors = asArray(errors.error).map(error => element(error))
  transaction.description = description(transaction.description)
  transaction.project = element(transaction.project)
  return transaction
}

/** The deploy answer or a transaction read as XML, in its JSON shape; anything else is left as it came. */
export function normalizeXml(parsed: unknown): unknown {
  const document = parsed
  if (!isRecord(document)) return document
  const root = rootOf(document)
  if (!root) return document
  if (root.name === 'transaction') return transactionFromXml(root.value)
  const result = { ...element(root.value) }
  if ('transaction' in result) result.transaction = transactionFromXml(result.transaction)
  return result
}

/** Whether a body parsed by the client came from XML: the raw text is the only reliable witness. */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<')
}
