/**
 * Rails' XML rendering, as the XML parser hands it over, turned into the shape of its JSON rendering:
 * `<start-at type="datetime">…</start-at>` → `start_at: "…"`, `<id type="integer">12</id>` → `id: 12`,
 * `<reason nil="true"/>` → `reason: null` (sample XML of the REST deployment window events page).
 */
export function fromRailsXml(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromRailsXml)
  if (!value || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  if (record.nil === 'true' && !('#text' in record)) return null
  if ('#text' in record) return typed(String(record['#text']), record.type)
  if (record.type === 'array' && Object.keys(record).length === 1) return []
  const result: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(record)) {
    if (key === '?xml' || key === 'type') continue
    result[key.replace(/-/g, '_')] = fromRailsXml(inner)
  }
  return result
}

function typed(text: string, type: unknown): unknown {
  if (type === 'integer') return Number(text)
  if (type === 'boolean') return text === 'true'
  return text
}

/** The document's single root element (`<event>`), or the value itself when it is not XML-shaped. */
export function unwrapRoot(value: unknown, roots: readonly string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const record = value as Record<string, unknown>
  for (const root of roots) {
    if (root in record && Object.keys(record).every(key => key === root || key === '?xml')) {
      return fromRailsXml(record[root])
    }
  }
  return value
}
