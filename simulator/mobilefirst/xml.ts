/** Renders the simulator's answers in the XML shapes of IBM's pages (attributes, wrapped error lists). */

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

type Scalar = string | number | boolean

function attributes(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter((entry): entry is [string, Scalar] => ['string', 'number', 'boolean'].includes(typeof entry[1]))
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('')
}

export interface XmlTransaction {
  description: Record<string, unknown> & { contentNames?: string[] }
  errors: { details: string }[]
  project: { name: string }
  [key: string]: unknown
}

/**
 * `<transaction …><description …/><errors><error details="…"/></errors><project name="…"/></transaction>`.
 * contentNames is not shown in IBM's XML examples; rendered as repeated elements (JAXB's default for a list).
 */
export function transactionXml(transaction: XmlTransaction, extra: Record<string, unknown> = {}): string {
  const { description, errors, project, ...scalars } = transaction
  const { contentNames, ...descriptionScalars } = description
  const names = (contentNames ?? []).map(name => `<contentNames>${escapeText(name)}</contentNames>`).join('')
  const descriptionXml = names
    ? `<description${attributes(descriptionScalars)}>${names}</description>`
    : `<description${attributes(descriptionScalars)}/>`
  const errorsXml = errors.length
    ? `<errors>${errors.map(error => `<error${attributes(error)}/>`).join('')}</errors>`
    : '<errors/>'
  return `<transaction${attributes({ ...scalars, ...extra })}>${descriptionXml}${errorsXml}<project${attributes(project)}/></transaction>`
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

export function transactionDocument(transaction: XmlTransaction, productVersion: string): string {
  return DECLARATION + transactionXml(transaction, { productVersion })
}

/** `<deploy-result>` (Deploy (POST)); Adapter (POST)'s sample root is `<deploy-adapter-result>`. */
export function deployResultDocument(
  ok: boolean,
  productVersion: string,
  transaction: XmlTransaction,
  root = 'deploy-result'
): string {
  return `${DECLARATION}<${root} ok="${ok}" productVersion="${escapeAttribute(productVersion)}">${transactionXml(transaction)}</${root}>`
}

/** Runtime Lock (GET): `<lock busy="true"/>`. */
export function lockDocument(busy: boolean): string {
  return `${DECLARATION}<lock busy="${busy}"/>`
}

/** Transactions (GET) as XML: ASSUMED `<transactions>` holding `<transaction>` elements (IBM shows JSON only here). */
export function transactionListDocument(transactions: XmlTransaction[]): string {
  return `${DECLARATION}<transactions>${transactions.map(item => transactionXml(item)).join('')}</transactions>`
}

export function errorDocument(fields: Record<string, string>): string {
  return `${DECLARATION}<error${attributes(fields)}/>`
}

/** Runtime (GET): the runtime's metadata as attributes of one element (r_restapi_runtime_get.html). */
export function runtimeDocument(runtime: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<runtime${attributes(runtime)}/>`
}
