import { describe, expect, it } from '@jest/globals'
import { parseTarget, pickProject } from '../../src/drivers/flexdeploy/project.js'
import type { Project } from '../../src/drivers/flexdeploy/schemas.js'

const project = (
  projectId: number,
  projectName: string,
  folder: string,
  extra: Partial<Project> = {}
): Project => ({
  projectId,
  projectName,
  projectPath: `${folder}/${projectName}`,
  ...extra
})

function pick(target: string, found: Project[]) {
  const ref = parseTarget(target)
  if (ref.kind !== 'path') throw new Error('not a path')
  return pickProject(target, ref, found)
}

describe('FlexDeploy targets', () => {
  it('reads digits as a project id and anything else as a path, slashes either way', () => {
    expect(parseTarget(' 10501 ')).toEqual({ kind: 'id', id: 10501 })
    expect(parseTarget('Human Resources/ProcessHRRequest')).toEqual({
      kind: 'path',
      name: 'ProcessHRRequest',
      folder: ['Human Resources']
    })
    expect(parseTarget('\\FlexDeploy\\A\\B\\P')).toEqual({
      kind: 'path',
      name: 'P',
      folder: ['FlexDeploy', 'A', 'B']
    })
  })

  it('picks the exact name among the contains-ignore-case matches', () => {
    const found = [
      project(1, 'ProcessHRRequest', 'FlexDeploy/HR'),
      project(2, 'ProcessHRRequestArchive', 'FlexDeploy/HR')
    ]
    expect(pick('HR/ProcessHRRequest', found).projectId).toBe(1)
    expect(pick('FlexDeploy/HR/processhrrequest', found).projectId).toBe(1)
  })

  it('picks the exact folder when sub folders hold the same name', () => {
    const found = [
      project(1, 'Payroll', 'FlexDeploy/HR/Payroll'),
      project(2, 'Payroll', 'FlexDeploy/HR/Payroll/Legacy')
    ]
    expect(pick('HR/Payroll/Payroll', found).projectId).toBe(1)
    expect(pick('HR/Payroll/Legacy/Payroll', found).projectId).toBe(2)
  })

  it('prefers the one active project when an inactive one has the same path', () => {
    const found = [project(1, 'P', 'FlexDeploy/A', { isActive: false }), project(2, 'P', 'FlexDeploy/A')]
    expect(pick('A/P', found).projectId).toBe(2)
  })

  it('lists what was found when nothing matches exactly, and every match when several do', () => {
    expect(() => pick('HR/Process', [project(1, 'ProcessHRRequest', 'FlexDeploy/HR')])).toThrow(
      "FlexDeploy has no project 'Process' in folder 'HR'; the search found: ProcessHRRequest (1, FlexDeploy/HR/ProcessHRRequest)"
    )
    expect(() =>
      pick('Benefits', [project(5, 'Benefits', 'FlexDeploy/EU'), project(6, 'Benefits', 'FlexDeploy/US')])
    ).toThrow(
      "Several FlexDeploy projects match target 'Benefits': Benefits (5, FlexDeploy/EU/Benefits); Benefits (6, FlexDeploy/US/Benefits)"
    )
    expect(() => pick('X/Y', [])).toThrow(
      "FlexDeploy has no project 'Y' in folder 'X'; the search found no project with that name"
    )
  })

  it('refuses a match whose id the server did not give', () => {
    expect(() => pick('A/P', [{ projectName: 'P', folderPath: 'FlexDeploy/A' }])).toThrow(
      /did not say its id/
    )
  })
})
