// up
export type { UpOptions, RunningCluster } from './up.command.js';
export { startCluster, runUp } from './up.command.js';
// kubeconfig
export type { KubeconfigOptions } from './kubeconfig.js';
export { kubeconfigFor, writeKubeconfig } from './kubeconfig.js';
// program
export { buildProgram } from './program.js';
// apiserver
export type { ApiServerCommandOptions } from './apiserver.command.js';
export { startApiServerCommand, runApiServer } from './apiserver.command.js';
export type { IdentityFlags } from './cluster-identity.flags.js';
export { addIdentityOptions, credentialsFromFlags } from './cluster-identity.flags.js';
// controller-manager
export type { ControllerManagerFlags, RunningControllerManager, StartControllerManagerOptions } from './controller-manager.command.js';
export { startControllerManager, runControllerManager, concurrencyFlags, DEFAULT_LEASE } from './controller-manager.command.js';

export type { SchedulerFlags, StartSchedulerOptions, RunningScheduler } from './scheduler.command.js';
export { startScheduler, runScheduler, SCHEDULER_LEASE } from './scheduler.command.js';
export type { ApiServerFlags } from './api-server.flags.js';
