import type { RunningServer, ServerOptions } from '../server.js'
import { startFlexDeploySimulator, type ProjectBehaviour } from './index.js'

const DEMO_PROJECTS: (ProjectBehaviour & { about: string })[] = [
  {
    id: 10501,
    name: 'ProcessHRRequest',
    folderPath: 'FlexDeploy/Human Resources',
    requests: [{ durationMs: 6000 }],
    about: 'deploys in about 6 s'
  },
  {
    id: 10502,
    name: 'PayrollService',
    folderPath: 'FlexDeploy/Human Resources',
    requests: [{ approvalMs: 8000, durationMs: 4000 }],
    about: 'waits 8 s for approval, then deploys'
  },
  {
    id: 10503,
    name: 'BenefitsPortal',
    folderPath: 'FlexDeploy/Human Resources',
    requests: [{ durationMs: 3000 }, { durationMs: 4000, outcome: 'FAILED' }],
    about: 'two instances: one completes, one fails'
  },
  {
    id: 10504,
    name: 'TimeTracking',
    folderPath: 'FlexDeploy/Human Resources',
    warning: { code: 'ALREADY_DEPLOYED', message: 'Project Version is already deployed' },
    about: 'already deployed (a no-op unless forceDeploy: true)'
  },
  {
    id: 29801,
    name: 'Util',
    folderPath: 'FlexDeploy/HR Utils',
    projectType: 'UTILITY',
    requests: [{ durationMs: 3000 }],
    about: 'utility project: operation execute'
  }
]

/** `npm run simulator -- flexdeploy`: a few projects, each showing one behaviour. */
export async function startFlexDeployDemo(
  options: ServerOptions
): Promise<{ server: RunningServer; details: string[] }> {
  const server = await startFlexDeploySimulator({ ...options, projects: DEMO_PROJECTS })
  return {
    server,
    details: [
      `base-url: ${server.url}/flexdeploy`,
      `username: ${server.username}  password: ${server.password}`,
      'parameters: environmentId: 11210 (any id works; build also needs streamId)',
      'projects (target by id or by path):',
      ...DEMO_PROJECTS.map(
        project =>
          `  ${String(project.id).padEnd(6)} ${`${project.folderPath}/${project.name}`.padEnd(46)} ${project.about}`
      )
    ]
  }
}
