/**
 * GitHub keeps a step's outputs only while they are small (1 MiB for all of a job's outputs): each output is
 * cut to a size that leaves room for the others, with a marker that says so. The whole text is saved to a
 * file beside the log, named in the marker.
 */
export const OUTPUT_LIMITS = { message: 4 * 1024, details: 256 * 1024, results: 256 * 1024 } as const

/** The first `limit` bytes of `text`, cut on a character boundary, with `marker` in the room left at the end. */
export function cutToBytes(text: string, limit: number, marker: (bytes: number) => string): string {
  const bytes = Buffer.byteLength(text)
  if (bytes <= limit) return text
  const note = marker(bytes)
  const room = Math.max(0, limit - Buffer.byteLength(note))
  // Decoding a cut buffer drops a partial last character instead of inventing one.
  let kept = Buffer.from(text).subarray(0, room).toString('utf8')
  if (kept.endsWith('\uFFFD')) kept = kept.slice(0, -1)
  return `${kept}${note}`
}
