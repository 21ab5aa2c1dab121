export { Router, readBody, sendJson, sendText, startHttpServer, writeChunk } from './server.js'
export type {
  Fault,
  FaultKind,
  Handler,
  RecordedRequest,
  RouteHandler,
  RunningServer,
  ServerOptions
} from './server.js'
export {
  DEFAULT_FIRST_TASK_ID as EPMWARE_FIRST_TASK_ID,
  DEFAULT_TOKEN as EPMWARE_TOKEN,
  EpmwareTask,
  startEpmwareSimulator
} from './epmware/index.js'
export type {
  DeploymentBehaviour,
  EpmwareSimulator,
  EpmwareSimulatorOptions,
  EpmwareStats,
  Outcome,
  TaskStatusCode
} from './epmware/index.js'
export {
  DEFAULT_TOKEN as BMC_RPM_TOKEN,
  railsTime,
  startBmcRpmDemo,
  startBmcRpmSimulator
} from './bmc-rpm/index.js'
export type {
  BmcRpmSimulator,
  BmcRpmSimulatorOptions,
  BmcRpmStats,
  EventSpec as BmcRpmEventSpec,
  EventState as BmcRpmEventState,
  SimulatedEvent as BmcRpmSimulatedEvent
} from './bmc-rpm/index.js'
export {
  DEFAULT_PASSWORD as MULE_MMC_PASSWORD,
  DEFAULT_USERNAME as MULE_MMC_USERNAME,
  formatLastModified as formatMuleMmcLastModified,
  startMuleMmcSimulator
} from './mule-mmc/index.js'
export { startMuleMmcDemo } from './mule-mmc/demo.js'
export type {
  DeploymentBehaviour as MuleMmcDeploymentBehaviour,
  MmcStatus as MuleMmcStatus,
  MuleMmcSimulator,
  MuleMmcSimulatorOptions,
  SeedDeployment as MuleMmcSeedDeployment,
  SimDeployment as MuleMmcDeployment
} from './mule-mmc/index.js'
