/**
 * The usual set-up of an end-to-end test file: one `converge up` cluster shared by all its tests.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startConvergeCluster, type ConvergeCluster, type StartOptions } from './converge-cluster.js';

/**
 * Starts a cluster in `beforeAll` and stops it in `afterAll` (expecting exit code 0), and
 * returns a `ConvergeCluster` that stands for it: call it from tests and hooks, where the
 * cluster is running; using it before `beforeAll` has run throws.
 */
export function useFileCluster(options: StartOptions = {}): ConvergeCluster {
  let cluster: ConvergeCluster | undefined;
  beforeAll(async () => {
    cluster = await startConvergeCluster(options);
  });
  afterAll(async () => {
    if (cluster) expect(await cluster.stop()).toBe(0);
  });
  const running = (): ConvergeCluster => {
    if (!cluster) throw new Error('the cluster of this test file is not running (use it inside tests and hooks)');
    return cluster;
  };
  return {
    get url() {
      return running().url;
    },
    get kubeconfig() {
      return running().kubeconfig;
    },
    get dataDir() {
      return running().dataDir;
    },
    get pid() {
      return running().pid;
    },
    kubectl: (args, kubectlOptions) => running().kubectl(args, kubectlOptions),
    kubectlBackground: (args) => running().kubectlBackground(args),
    adminToken: () => running().adminToken(),
    caPem: () => running().caPem(),
    serverStderr: () => running().serverStderr(),
    stop: () => running().stop(),
  };
}
