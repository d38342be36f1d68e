// up
export type { UpOptions, RunningCluster } from './up.command.js';
export { startCluster, runUp } from './up.command.js';
// kubeconfig
export type { KubeconfigOptions } from './kubeconfig.js';
export { kubeconfigFor, writeKubeconfig } from './kubeconfig.js';
// program
export { buildProgram } from './program.js';
