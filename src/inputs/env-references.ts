const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g
const ENV_NAME = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/

/**
 * Replaces every `${{ env.NAME }}` in a config file value with the variable's value. The runner never
 * expands expressions inside a file, so the action does, and only this one form: a secret reaches the
 * file through the step's `env:`.
 */
export function substituteEnv(
  text: string,
  env: NodeJS.ProcessEnv
): { value: string; problems: string[]; references: string[] } {
  const problems: string[] = []
  const references: string[] = []
  const value = text.replace(EXPRESSION, (whole, expression: string) => {
    const name = ENV_NAME.exec(expression)?.[1]
    if (!name) {
      problems.push(
        `only \${{ env.NAME }} is read in a config file, not \${{ ${expression} }}: map it into the step’s env: and write \${{ env.NAME }}`
      )
      return whole
    }
    references.push(name)
    const found = env[name]
    if (found === undefined || found === '') {
      problems.push(
        `environment variable ${name} is ${found === undefined ? 'not set' : 'empty'}; set it in the step’s env:, e.g. ${name}: \${{ secrets.${name} }}`
      )
      return ''
    }
    return found
  })
  return { value, problems, references }
}
