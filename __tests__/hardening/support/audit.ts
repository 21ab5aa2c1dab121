import { everythingWritten, type ActionRun } from '../../e2e/run-action.js'

/** Each secret found in anything the run wrote (stdout, stderr, outputs, summary, files under RUNNER_TEMP). */
export function leakedSecrets(run: ActionRun, secrets: string[]): string[] {
  const written = everythingWritten(run)
  return secrets.filter(secret => written.includes(secret) || written.includes(encodeURIComponent(secret)))
}
