import { readFileSync, statSync } from 'node:fs'

/** What a file named by an input may be at most; a config file or a CA bundle is far smaller. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024

/**
 * Reads a text file named by an input. Only a regular file of reasonable size: a device (/dev/zero), a FIFO
 * or a huge file would otherwise hang the step or exhaust its memory. Throws with the reason in words.
 */
export function readSmallTextFile(file: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  const stats = statSync(file)
  if (!stats.isFile()) throw new Error(`${file} is not a regular file`)
  if (stats.size > maxBytes)
    throw new Error(`${file} is ${stats.size} bytes, more than the ${maxBytes} allowed`)
  return readFileSync(file, 'utf8')
}
