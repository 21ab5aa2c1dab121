export { startHttpServer, Router, sendJson, sendText } from './server.js'
export type { Fault, RecordedRequest, RunningServer } from './server.js'
export { startEpmwareSimulator, DEFAULT_TOKEN as EPMWARE_TOKEN } from './epmware/index.js'
export type { DeploymentBehaviour, EpmwareSimulator, EpmwareSimulatorOptions } from './epmware/index.js'
