import { sendJson, sendText, startHttpServer, type RunningServer } from '../../../simulator/server.js'

/** What a hostile EPMware-shaped server answers: the task id, the failed status's message, the log. */
export interface HostileAnswers {
  taskId: string
  message: string
  log: string
}

/**
 * Speaks just enough of EPMware's API (run, get_status, get_log_file) to put server-chosen text in the
 * task id, the status message and the log; the task fails, so the action ends with its own `::error::`.
 */
export function startHostileEpmware(answers: HostileAnswers): Promise<RunningServer> {
  return startHttpServer((request, response) => {
    if (request.method === 'POST' && request.path.endsWith('/deployment/run')) {
      return sendJson(response, 200, { status: 'S', taskId: answers.taskId })
    }
    if (request.path.includes('/task/get_status/')) {
      return sendJson(response, 200, {
        taskId: answers.taskId,
        status: 'E',
        percentCompleted: '100',
        message: answers.message
      })
    }
    if (request.path.includes('/task/get_log_file/')) return sendText(response, 200, answers.log)
    sendJson(response, 404, { status: 'E', message: 'not found' })
  })
}
