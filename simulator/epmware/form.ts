/** A whole multipart/form-data body (RFC 7578) split into its text fields and file parts, as bytes. */
export interface FormPart {
  name: string
  filename?: string
  data: Buffer
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

function parameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header)
  return match?.[1]?.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n')
}

/** The parts, or undefined when the body is not a complete multipart body with that boundary. */
export function parseForm(body: Buffer, boundary: string): FormPart[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: FormPart[] = []
  let at = body.indexOf(delimiter)
  if (at < 0) return undefined
  for (;;) {
    at += delimiter.length
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n') return undefined
    const headersEnd = body.indexOf('\r\n\r\n', at)
    if (headersEnd < 0) return undefined
    const headers = body.subarray(at + 2, headersEnd).toString('utf8')
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4)
    if (next < 0) return undefined
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? ''
    parts.push({
      name: parameter(disposition, 'name') ?? '',
      filename: parameter(disposition, 'filename'),
      data: body.subarray(headersEnd + 4, next)
    })
    at = next + 2
  }
}
