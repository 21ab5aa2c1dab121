import { ActionError } from '../../errors.js'
import type { Project } from './schemas.js'

export type TargetRef = { kind: 'id'; id: number } | { kind: 'path'; name: string; folder: string[] }

/** `10501` is a project id; `Folder/Sub/ProjectName` (slashes either way, as folderPath allows) a path. */
export function parseTarget(target: string): TargetRef {
  const trimmed = target.trim()
  if (/^\d+$/.test(trimmed)) return { kind: 'id', id: Number(trimmed) }
  const segments = splitPath(trimmed)
  return { kind: 'path', name: segments.at(-1) ?? trimmed, folder: segments.slice(0, -1) }
}

function splitPath(path: string): string[] {
  return path
    .split(/[\\/]/)
    .map(segment => segment.trim())
    .filter(Boolean)
}

/** The project archive root folder is optional in a folder path (Project API page, folderPath format). */
export function withoutRoot(segments: string[]): string[] {
  return segments[0]?.toLowerCase() === 'flexdeploy' ? segments.slice(1) : segments
}

const sameText = (left: string, right: string) => left.toLowerCase() === right.toLowerCase()

/** The folders a project sits in, from its projectPath or folderPath; undefined when it gives neither. */
function foldersOf(project: Project): string[] | undefined {
  if (project.projectPath) {
    const segments = withoutRoot(splitPath(project.projectPath))
    const last = segments.at(-1)
    return last !== undefined && sameText(last, project.projectName) ? segments.slice(0, -1) : segments
  }
  return project.folderPath ? withoutRoot(splitPath(project.folderPath)) : undefined
}

export function describeProject(project: Project): string {
  const where = project.projectPath ?? project.folderPath
  const id = project.projectId ?? 'no id'
  return `${project.projectName} (${id}${where ? `, ${where}` : ''}${project.isActive === false ? ', inactive' : ''})`
}

/**
 * Picks the one project a path names from the search's answer. The name search is contains-ignore-case and
 * the folder search includes sub folders, so the answer is narrowed to the exact name and folder.
 */
export function pickProject(
  target: string,
  ref: Extract<TargetRef, { kind: 'path' }>,
  found: Project[]
): Project {
  const folder = withoutRoot(ref.folder)
  const named = found.filter(project => project.projectName === ref.name)
  const candidates =
    named.length > 0 ? named : found.filter(project => sameText(project.projectName, ref.name))
  const inFolder = candidates.filter(project => {
    const folders = foldersOf(project)
    if (!folders || folder.length === 0) return true
    return (
      folders.length === folder.length &&
      folders.every((segment, index) => sameText(segment, folder[index] ?? ''))
    )
  })
  const active = inFolder.filter(project => project.isActive !== false)
  const matches = active.length === 1 ? active : inFolder
  const listed = found.slice(0, 10).map(describeProject).join('; ')
  const more = found.length > 10 ? `; and ${found.length - 10} more` : ''
  if (matches.length === 0) {
    throw new ActionError(
      `FlexDeploy has no project '${ref.name}'${folder.length ? ` in folder '${folder.join('/')}'` : ''}; ` +
        (found.length ? `the search found: ${listed}${more}` : 'the search found no project with that name'),
      { hint: 'target is Folder/Sub/ProjectName as FlexDeploy shows it (or the numeric project id).' }
    )
  }
  if (matches.length > 1) {
    throw new ActionError(
      `Several FlexDeploy projects match target '${target}': ${matches.map(describeProject).join('; ')}`,
      { hint: 'Give the full folder path, or the numeric project id as target.' }
    )
  }
  const match = matches[0] as Project
  if (match.projectId === undefined || match.projectId === null) {
    throw new ActionError(`FlexDeploy found project ${describeProject(match)} but did not say its id`, {
      hint: 'Use the numeric project id as target.'
    })
  }
  return match
}
