/**
 * Workflow-command injection: a server that writes commands into its status message, task id or log must
 * not get the runner to run them. stdout is read the way the runner reads it (see workflow-commands.ts);
 * the only commands in it are the action's own, and its final `::error::` is still there.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { RunningServer } from '../../simulator/server.js'
import { runAction } from '../e2e/run-action.js'
import { startHostileEpmware, type HostileAnswers } from './support/hostile-epmware.js'
import { foreignCommands, workflowCommands } from './support/workflow-commands.js'

const TOKEN = 'injection-epm-token-31d8'
const MARKER = 'PWNED'

const CASES: Record<string, Partial<HostileAnswers>> = {
  'a newline and a command in the status message': {
    message: `deploying\n::warning title=${MARKER}::x\n::error::${MARKER} from the message`
  },
  'a newline and a command in the task id': { taskId: `24\n::error::${MARKER} from the task id` },
  'an indented ::stop-commands:: in the log': {
    log: `line one\n  ::stop-commands::${MARKER}token\n\t::add-mask::${MARKER}\nline four\n`
  },
  '##[ in the middle of a line': {
    message: `done, see ##[error]${MARKER} in the message`,
    log: `step 1 ok ##[warning]${MARKER} mid-line\n##[group]${MARKER}\n`
  },
  'a lone carriage return before a command': {
    message: `deploying\r::error::${MARKER} after CR`,
    taskId: `25\r::warning::${MARKER} after CR`,
    log: `progress 50%\r::error::${MARKER} after CR\r\n`
  },
  'escape sequences and bidi overrides': {
    message: `\x1b[2K\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \u202eevil\u202c\x00`,
    log: `\x1b[31mred\x1b[0m\x9b2K line\n`
  }
}

let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('server text never becomes a workflow command', () => {
  for (const [name, hostile] of Object.entries(CASES)) {
    it(name, async () => {
      server = await startHostileEpmware({ taskId: '23', message: 'failed', log: 'ok\n', ...hostile })
      const run = await runAction({
        platform: 'epmware',
        'base-url': server.url,
        token: TOKEN,
        target: 'ASOALL',
        'poll-interval': '100ms'
      })
      expect(run.code).toBe(1)
      expect(foreignCommands(run.stdout, MARKER)).toEqual([])
      // The action's own commands still work: the step's error is the last command, an annotation titled
      // with the deployment's name.
      const commands = workflowCommands(run.stdout)
      expect(commands.at(-1)).toMatchObject({ name: 'error', legacy: false, properties: 'title=ASOALL' })
      expect(commands.at(-1)?.data).toMatch(/^Task .* ended|^EPMware|deploying|done|failed|click/)
      // What reaches the summary and the outputs carries no control character or bidi override.
      const written = [run.summary, ...Object.values(run.outputs)].join('\n')
      // eslint-disable-next-line no-control-regex
      expect(written).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/)
      // eslint-disable-next-line no-control-regex
      expect(run.stdout).not.toMatch(/\x1b|\u202e/)
      // The task id output is one line.
      expect(run.outputs['task-id']).not.toMatch(/[\r\n]/)
      // The log file keeps what the server sent.
      const logFile = Object.entries(run.tempFiles).find(([file]) => file.endsWith('.log'))
      if (hostile.log) expect(logFile?.[1]).toBe(hostile.log)
    })
  }
})
