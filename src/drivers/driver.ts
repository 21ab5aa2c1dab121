import type { Readable } from 'node:stream'
import type * as z from 'zod/mini'
import type { Clock } from '../engine/clock.js'
import type { HttpClient } from '../http/client.js'
import type { Deployment, Platform } from '../inputs/schema.js'
import type { InputProblem } from '../inputs/problems.js'

/** How a deployment ended, as the `status` output says it. */
export type Outcome = 'succeeded' | 'failed' | 'timed-out' | 'canceled' | 'skipped'
export type FinalStatus = Outcome | 'started'

/** One reading of the remote job, already mapped from the vendor's vocabulary. */
export interface RemoteStatus {
  /** `running` keeps the poll loop going; anything else ends it. */
  state: 'running' | 'succeeded' | 'failed' | 'canceled' | 'skipped' | 'timed-out'
  /** The vendor's own status, e.g. `R` or `PENDING_APPROVAL`, shown beside ours. */
  code: string
  /** Plain words for `code`, e.g. `running` or `waiting for approval`. */
  label?: string
  message?: string
  percent?: number
  /** A success that deserves a warning annotation (EPMware `W`). */
  warning?: string
  /** Final remote state for the `details` output. */
  details?: unknown
  url?: string
  /** A file the job produced, saved under RUNNER_TEMP (EPMware `export`): the `export-file` output. */
  exportFile?: string
  /**
   * When the driver knows better than the adaptive interval when the next reading is worth taking (a
   * deployment window that opens in two hours): the poll loop waits this long, within the deadline.
   */
  nextReadInMs?: number
  /**
   * With state `running` only: a failure already known while other parts still run (one FlexDeploy workflow
   * request of several was rejected). The poll loop keeps following; if the deadline comes first, the engine
   * reports `failed` with this message (followed by "within the timeout of …") instead of `timed-out`.
   */
  failure?: string
}

/** The remote job the poll loop follows. */
export interface TaskRef {
  /** What the `task-id` output shows (comma-joined when several). */
  id: string
  url?: string
  /** Whatever else the driver needs to follow it. */
  context?: Record<string, unknown>
}

export type StartResult =
  | { kind: 'task'; task: TaskRef; message?: string }
  /** Nothing to follow: a read-only operation, a no-op, or a synchronous answer. */
  | { kind: 'final'; status: RemoteStatus; task?: TaskRef }

export interface DriverContext {
  deployment: Deployment
  http: HttpClient
  log: DriverLog
  /** The engine's clock: a driver that reasons about time (deployment windows) uses this, never Date.now. */
  clock: Clock
  /** The engine's deadline for this deployment (clock time): a driver that knows it cannot be met in time ends at once. */
  deadline?: number
  /** Where files the job produces are saved (report/ writes them under RUNNER_TEMP); absent where none are. */
  files?: FileSink
}

/** Saves a stream as `<folder>/<file>` under the run's folder; `discard` removes it again (a refusal, not a file). */
export type FileSink = (
  stream: Readable,
  where: { folder: string; file: string },
  signal: AbortSignal
) => Promise<{ file: string; bytes: number; discard(): Promise<void> }>

export interface DriverLog {
  info(message: string): void
  warning(message: string): void
}

/** One check of a dry run (`server reachable`, `credentials accepted`, `target resolved`) and what it found. */
export interface DryRunCheck {
  check: string
  ok: boolean
  detail: string
}

/** A vendor: how to start, read, cancel and read logs. Everything else is written once in the engine. */
export interface Driver {
  start(signal: AbortSignal): Promise<StartResult>
  /** The job a previous step started (`operation: await` with `task-id`). */
  resume(taskId: string): TaskRef
  status(task: TaskRef, signal: AbortSignal): Promise<RemoteStatus>
  /** Asks the platform to stop the job; resolves with what it answered. Absent when the API has none. */
  cancel?(task: TaskRef, signal: AbortSignal): Promise<string>
  /** The remote log as a stream, or undefined when there is none for this job. */
  log?(task: TaskRef, signal: AbortSignal): Promise<Readable | undefined>
  /** A deployment to run when this one failed (EPMware `rollback`). */
  followUpOnFailure?(): Deployment | undefined
  /**
   * `dry-run: true`: reaches the server, checks the credentials and resolves every target without
   * triggering anything. Absent while a platform has none: the dry run then fails, saying so.
   */
  dryRun?(signal: AbortSignal): Promise<DryRunCheck[]>
}

/** What the registry knows of a platform before anything is sent: its vocabulary and input rules. */
export interface DriverDefinition {
  platform: Platform
  title: string
  operations: readonly string[]
  defaultOperation: string
  /** Operations that trigger nothing remote and so end at once. */
  readOnlyOperations: readonly string[]
  credentials: 'token' | 'basic'
  /** For token platforms: `Authorization: <scheme> <token>` (header) or `?token=` (query). */
  tokenPlacement?: 'header' | 'query'
  tokenScheme?: string
  /** Strict object schema of `parameters`: unknown keys are an error naming the valid ones. */
  parameters: z.ZodMiniObject
  /** Checks that depend on several inputs at once (target required, operation-specific parameters). */
  validate(deployment: Deployment): InputProblem[]
  /** Loads the platform's driver code (a chunk of its own in dist/) and makes the driver. */
  create(context: DriverContext): Promise<Driver>
  /** Why this platform has no cancel, for the log and README (undefined when it has one). */
  noCancelReason?: string
  /** Nothing runs on the server while the action waits (a deployment window): nothing to cancel or leave behind. */
  nothingRunsRemotely?: boolean
}
