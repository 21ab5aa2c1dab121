import { createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FileSink } from '../drivers/driver.js'

/** A name safe as one path segment: never empty, never `.` or `..`, never a hidden file. */
function segment(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_')
  return safe || '_'
}

/**
 * Where files a job produces go (an EPMware export): `<tempDir>/enterprise-deploy/<folder>/<file>`, streamed,
 * never whole in memory. report/ alone writes files; drivers hand their streams here.
 */
export function fileSinkUnder(tempDir: string): FileSink {
  const root = path.join(tempDir, 'enterprise-deploy')
  return async (stream: Readable, where, signal) => {
    const folder = path.join(root, segment(where.folder))
    await mkdir(folder, { recursive: true })
    const file = path.join(folder, segment(where.file))
    try {
      await pipeline(stream, createWriteStream(file), { signal })
    } catch (error) {
      await rm(file, { force: true })
      throw error
    }
    return {
      file,
      bytes: (await stat(file)).size,
      discard: () => rm(folder, { recursive: true, force: true })
    }
  }
}
