/** How much of a job's age the next wait may be: a job noticed late by at most 10 % of its age. */
export const AGE_FRACTION = 0.1

/**
 * The wait before the next status read: short while the job is young, longer as it ages — 10 % of its age,
 * never under `min` nor over `max`. A job that ends is noticed within max(min, 10 % of its age).
 */
export function nextPollDelay(ageMs: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, Math.max(minMs, Math.round(ageMs * AGE_FRACTION)))
}
