import { ActionError } from '../../errors.js'

const LISTED = 20

/** A name as the console and the workflow may each have typed it: NFC, so `Café` matches in either form. */
export function sameName(a: string, b: string): boolean {
  return a.normalize('NFC') === b.normalize('NFC')
}

/** Looser still: compatibility forms (full-width letters, ligatures) and letter case folded. */
function looselyEqual(a: string, b: string): boolean {
  return a.normalize('NFKC').toLocaleLowerCase('und') === b.normalize('NFKC').toLocaleLowerCase('und')
}

function nearMissReason(wanted: string, found: string): string {
  const compatible = wanted.normalize('NFKC') === found.normalize('NFKC')
  return compatible
    ? `'${found}' differs from '${wanted}' only in Unicode form (compatibility characters such as full-width letters or ligatures)`
    : `'${found}' differs from '${wanted}' only in letter case`
}

export interface Lookup<T> {
  /** What is looked up, for messages: `server`, `server group`, `application`. */
  kind: string
  /** Where the list came from, for messages: `GET /api/servers`. */
  source: string
  items: readonly T[]
  nameOf(item: T): string
  idOf(item: T): string
  /** How an item is shown in a list of candidates; default `name (id)`. */
  show?(item: T): string
  hint?: string
}

export function listed<T>(lookup: Lookup<T>, items: readonly T[] = lookup.items): string {
  const show = lookup.show ?? ((item: T) => `${lookup.nameOf(item)} (${lookup.idOf(item)})`)
  const shown = items.slice(0, LISTED).map(show)
  const more = items.length > LISTED ? `, and ${items.length - LISTED} more` : ''
  return `${shown.join('; ')}${more}`
}

/**
 * The one item whose id is `wanted`, or whose name is `wanted` after NFC normalization. None or several is an
 * ActionError listing what exists; a name that matches only when case or compatibility forms are ignored is
 * not taken, but the message says which name it nearly matched.
 */
export function findOne<T>(lookup: Lookup<T>, wanted: string): T {
  const byId = lookup.items.find(item => lookup.idOf(item) === wanted)
  if (byId) return byId
  const named = lookup.items.filter(item => sameName(lookup.nameOf(item), wanted))
  if (named.length === 1) return named[0] as T
  if (named.length > 1) {
    throw new ActionError(
      `${named.length} ${lookup.kind}s are named '${wanted}' (${lookup.source}): ${listed(lookup, named)}`,
      { hint: `Give the id of the ${lookup.kind} you mean.` }
    )
  }
  const near = lookup.items.filter(item => looselyEqual(lookup.nameOf(item), wanted))
  const nearly = near.length
    ? ` ${near.map(item => nearMissReason(wanted, lookup.nameOf(item))).join('; ')}: names are compared exactly (after NFC normalization).`
    : ''
  const exists = lookup.items.length ? `It has: ${listed(lookup)}` : `There is no ${lookup.kind} at all.`
  throw new ActionError(
    `No ${lookup.kind} is named '${wanted}' or has that id (${lookup.source}).${nearly} ${exists}`,
    lookup.hint ? { hint: lookup.hint } : {}
  )
}
