import type * as z from 'zod/mini'

/**
 * Records a problem from inside a zod/mini transform or check: the form classic zod's `ctx.addIssue` had
 * (issue 16: the inputs use zod/mini, whose cold start is a fraction of classic zod's). The message is what
 * the user reads beside the input's name.
 */
export function addIssue(payload: z.core.ParsePayload, message: string): void {
  payload.issues.push({ code: 'custom', message, input: payload.value })
}
