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
  ExportBehaviour as EpmwareExportBehaviour,
  ImportBehaviour as EpmwareImportBehaviour,
  Outcome,
  ReceivedUpload as EpmwareReceivedUpload,
  SentDownload as EpmwareSentDownload,
  TaskKind as EpmwareTaskKind,
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
  DEFAULT_FIRST_TRANSACTION_ID as MOBILEFIRST_FIRST_TRANSACTION_ID,
  DEFAULT_USERS as MOBILEFIRST_USERS,
  SimulatedTransaction as MobileFirstTransaction,
  startMobileFirstSimulator
} from './mobilefirst/index.js'
export { startMobileFirstDemo } from './mobilefirst/demo.js'
export type {
  MobileFirstSimulator,
  MobileFirstSimulatorOptions,
  MobileFirstUser,
  ReceivedUpload as MobileFirstUpload,
  Role as MobileFirstRole,
  TransactionBehaviour as MobileFirstTransactionBehaviour
} from './mobilefirst/index.js'
export {
  DEFAULT_FIRST_REQUEST_ID as FLEXDEPLOY_FIRST_REQUEST_ID,
  DEFAULT_PASSWORD as FLEXDEPLOY_PASSWORD,
  DEFAULT_USERNAME as FLEXDEPLOY_USERNAME,
  SimulatedRequest as FlexDeployRequest,
  startFlexDeploySimulator
} from './flexdeploy/index.js'
export { startFlexDeployDemo } from './flexdeploy/demo.js'
export type {
  FlexDeploySimulator,
  FlexDeploySimulatorOptions,
  ProjectBehaviour as FlexDeployProjectBehaviour,
  RequestBehaviour as FlexDeployRequestBehaviour,
  RequestOutcome as FlexDeployRequestOutcome
} from './flexdeploy/index.js'
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
