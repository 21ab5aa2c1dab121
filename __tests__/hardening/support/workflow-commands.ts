/**
 * stdout read the way the Actions runner reads it: lines split on `\n` and on `\r`; a line is a command
 * when, trimmed, it starts with `::name…::` (properties after a space, data after the second `::`), or
 * when it holds the legacy `##[name …]` anywhere.
 */
export interface ParsedCommand {
  name: string
  properties: string
  data: string
  legacy: boolean
  line: string
}

export function workflowCommands(stdout: string): ParsedCommand[] {
  const commands: ParsedCommand[] = []
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim()
    const modern = /^::([^\s:]*)(?: ([^:]*))?::(.*)$/s.exec(trimmed)
    if (modern) {
      commands.push({
        name: modern[1] ?? '',
        properties: modern[2] ?? '',
        data: modern[3] ?? '',
        legacy: false,
        line
      })
      continue
    }
    const legacy = /##\[([^\s\]]*)([^\]]*)\](.*)$/s.exec(line)
    if (legacy) {
      commands.push({
        name: legacy[1] ?? '',
        properties: legacy[2] ?? '',
        data: legacy[3] ?? '',
        legacy: true,
        line
      })
    }
  }
  return commands
}

/** The commands @actions/core issues for this action: masks, groups, annotations, debug lines. */
const OWN_COMMANDS = new Set(['add-mask', 'group', 'endgroup', 'error', 'warning', 'notice', 'debug'])

/** The properties the action sets on its annotations: a title (the deployment's name) and a file position. */
const OWN_PROPERTIES = new Set(['title', 'file', 'line', 'col'])

/** Properties the action could have written: only on an annotation, only its own keys, none holding `marker`. */
function ownProperties(command: ParsedCommand, marker: string): boolean {
  if (command.properties === '') return true
  if (command.name !== 'error' && command.name !== 'warning') return false
  return command.properties.split(',').every(pair => {
    const [key = '', value = ''] = pair.split('=')
    return OWN_PROPERTIES.has(key) && !value.includes(marker)
  })
}

/**
 * Commands the action did not issue: a name it never uses, the legacy syntax (it never writes it), a
 * property it never sets (or one holding `marker`), or a command whose data starts with `marker` (what the
 * hostile server wrote).
 */
export function foreignCommands(stdout: string, marker: string): ParsedCommand[] {
  return workflowCommands(stdout).filter(
    command =>
      command.legacy ||
      !OWN_COMMANDS.has(command.name) ||
      !ownProperties(command, marker) ||
      command.data.startsWith(marker)
  )
}
