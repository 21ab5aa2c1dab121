/** 16777216 → `16 MiB`, 2048 → `2 KiB`, 500 → `500 bytes`: how sizes are printed in messages and markers. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`
  return `${bytes} bytes`
}
