import * as core from '@actions/core'
import { errorFields } from '../errors.js'
import type { Annotation, Host } from './host.js'

/**
 * The GitHub runner: inputs from `INPUT_*`, workflow commands on stdout, outputs to `GITHUB_OUTPUT`, the
 * summary to `GITHUB_STEP_SUMMARY`. When `GITHUB_OUTPUT` cannot be written, each output goes out as the older
 * `set-output` command instead, so `status` still reaches the workflow.
 */
export function actionsHost(): Host {
  let outputFileWarned = false
  return {
    input: name => core.getInput(name),
    info: message => core.info(message),
    debug: message => core.debug(message),
    warning: (message, annotation) => core.warning(message, properties(annotation)),
    error: (message, annotation) => core.error(message, properties(annotation)),
    fail: (message, annotation) => {
      // setFailed is exitCode 1 and an error annotation, which takes no title: the same, titled.
      if (!annotation) return core.setFailed(message)
      process.exitCode = core.ExitCode.Failure
      core.error(message, properties(annotation))
    },
    group: (name, body) => core.group(name, body),
    mask: form => core.setSecret(form),
    setOutput: (name, value) => {
      try {
        core.setOutput(name, value)
      } catch (error) {
        process.stdout.write(`::set-output name=${name}::${escapeCommandData(value)}\n`)
        if (outputFileWarned) return
        outputFileWarned = true
        core.warning(
          `Could not write the step's outputs to GITHUB_OUTPUT (${errorFields(error).message}); sent them as set-output commands`
        )
      }
    },
    appendSummary: async markdown => {
      await core.summary.addRaw(markdown, true).write()
    }
  }
}

function properties(annotation: Annotation | undefined): core.AnnotationProperties | undefined {
  if (!annotation) return undefined
  return {
    title: annotation.title,
    file: annotation.file,
    startLine: annotation.line,
    startColumn: annotation.column
  }
}

function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
