import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../../errors.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import type { FileSink } from '../driver.js'
import { parseErrorBody, readyToParse } from '../../http/body.js'
import { refusedError } from '../../http/decode.js'
import { bodyRefusalError, refusalInBody, refusalStyle, type Subject } from './refusal.js'

const API = '/service/api'
/** A JSON answer this small may be a refusal rather than the file (errors come as HTTP 200 status E). */
const REFUSAL_SIZE_LIMIT = 64 * 1024

const EXTENSIONS: Record<string, string> = {
  'text/csv': '.csv',
  'text/plain': '.txt',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/xml': '.xml',
  'text/xml': '.xml',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx'
}

/**
 * The file name the server gives in Content-Disposition (`attachment; filename="PBCS_export_20250115.csv"`,
 * docs repo first revision, download-file.md; curl -OJ in the current page), reduced to a plain base name so
 * it can never point outside the directory; `export_<task>` with an extension from the content type otherwise.
 */
export function exportFileName(disposition: string | undefined, contentType: string, taskId: string): string {
  const match =
    /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition ?? '') ??
    /filename\s*=\s*"([^"]*)"/i.exec(disposition ?? '') ??
    /filename\s*=\s*([^;]+)/i.exec(disposition ?? '')
  let given = match?.[1]?.trim() ?? ''
  try {
    given = decodeURIComponent(given)
  } catch {
    // keep it as it came
  }
  const base = [...path.basename(given.replace(/\\/g, '/'))]
    .map(char => (char.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(char) ? '_' : char))
    .join('')
  if (base && base !== '.' && base !== '..') return base
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  return `export_${taskId}${EXTENSIONS[type] ?? ''}`
}

/**
 * `GET /service/api/export/download_file/{taskId}` (REST API Guide v1.3, Download Export File), streamed to
 * `export-<taskId>/<file name>` through the run's file sink (report/ writes it): never held in memory.
 * Resolves with the file's path and size.
 */
export async function downloadExport(
  http: HttpClient,
  taskId: string,
  files: FileSink,
  subject: Subject,
  signal: AbortSignal
): Promise<{ file: string; bytes: number }> {
  const request: HttpRequest = {
    method: 'GET',
    path: `${API}/export/download_file/${encodeURIComponent(taskId)}`,
    expect: 'text',
    headers: { accept: '*/*' }
  }
  const describe = http.describe(request)
  const opened = await http.stream(request)
  const contentType = String(opened.headers['content-type'] ?? '')
  if (opened.status < 200 || opened.status >= 300) {
    const text = await readSmall(opened.stream)
    await readyToParse(text, contentType)
    throw refusedError(
      { status: opened.status, headers: opened.headers, body: parseErrorBody(text, contentType), text },
      describe,
      refusalStyle(subject)
    )
  }
  const disposition = opened.headers['content-disposition']
  let saved: Awaited<ReturnType<FileSink>>
  try {
    saved = await files(
      opened.stream,
      { folder: `export-${taskId}`, file: exportFileName(disposition, contentType, taskId) },
      signal
    )
  } catch (error) {
    if (signal.aborted) throw error
    throw new ActionError(`${describe} broke off while the export file was downloaded: ${String(error)}`, {
      transient: true,
      cause: error
    })
  }
  const { file, bytes } = saved
  if (/json/i.test(contentType) && bytes <= REFUSAL_SIZE_LIMIT) {
    const text = await readFile(file, 'utf8')
    await readyToParse(text, contentType)
    const refused = refusalInBody(parseErrorBody(text, contentType))
    if (refused !== undefined) {
      await saved.discard()
      throw bodyRefusalError(describe, refused, subject)
    }
  }
  return { file, bytes }
}

async function readSmall(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) {
    if (text.length < REFUSAL_SIZE_LIMIT) text += String(chunk)
  }
  return text
}
