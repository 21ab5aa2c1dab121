/** One of the problems an error is made of, and the file position it is at when it is in a file. */
export interface ProblemItem {
  text: string
  file?: string
  line?: number
  column?: number
}

/** The one error type that reaches the user: a message written for them, an optional hint on what to do. */
export class ActionError extends Error {
  readonly hint?: string
  /** HTTP status of the response that caused it, when there was one. */
  readonly httpStatus?: number
  /** A fault that may pass (network error, 5xx, 429): a poll loop may try again later. */
  readonly transient: boolean
  /** Several problems at once (bad inputs): each on its own, for a list and an annotation per file position. */
  readonly items?: readonly ProblemItem[]

  constructor(
    message: string,
    options: {
      hint?: string
      httpStatus?: number
      transient?: boolean
      cause?: unknown
      items?: readonly ProblemItem[]
    } = {}
  ) {
    super(message, { cause: options.cause })
    this.name = 'ActionError'
    this.hint = options.hint
    this.httpStatus = options.httpStatus
    this.transient = options.transient ?? false
    this.items = options.items
  }

  /** Message and hint as one paragraph, the way the log and the summary show it. */
  get userMessage(): string {
    return this.hint ? `${this.message}\nHint: ${this.hint}` : this.message
  }
}

/**
 * name, message and code of anything thrown. Read by shape, not `instanceof`: errors raised inside Node's
 * own modules can come from another realm (jest's VM contexts, for one) and fail `instanceof Error`.
 */
export function errorFields(error: unknown): { name: string; message: string; code: string } {
  if (error && typeof error === 'object') {
    const record = error as { name?: unknown; message?: unknown; code?: unknown }
    return {
      name: typeof record.name === 'string' ? record.name : '',
      message: typeof record.message === 'string' ? record.message : String(error),
      code: typeof record.code === 'string' ? record.code : ''
    }
  }
  return { name: '', message: String(error), code: '' }
}

/** Any thrown value as an ActionError, so nothing reaches the user as a stack trace. */
export function toActionError(error: unknown): ActionError {
  if (error instanceof ActionError) return error
  return new ActionError(errorFields(error).message, { cause: error })
}

export function isAbortError(error: unknown): boolean {
  const { name } = errorFields(error)
  return name === 'AbortError' || name === 'TimeoutError'
}
