import { Nodes, silentLogger } from '@converge/core';
import { FakeStore, VIRTUAL_EPOCH } from '@converge/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogDiscovery } from '../discovery/kind-discovery.js';
import { nodeLease, readyNode } from '../testing-fixtures/node-controllers.fixture.js';
import { createControllerManager, type ControllerManagerOptions } from './controller-manager.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function run(store: FakeStore, options: Partial<ControllerManagerOptions>) {
  await store.ready();
  const cm = createControllerManager({
    store,
    discovery: catalogDiscovery(store.catalog),
    clock: store.clock,
    logger: silentLogger(),
    leaderElection: false,
    ...options,
  });
  const done = cm.manager.start();
  stop = async () => {
    await cm.manager.stop();
    await done.catch(() => undefined);
  };
  await store.clock.settle();
  return cm;
}

describe('createControllerManager with the node controllers', () => {
  it('runs them by default under their Kubernetes names, with the options given', async () => {
    const store = new FakeStore({
      objects: [readyNode('n1', VIRTUAL_EPOCH), readyNode('n2', VIRTUAL_EPOCH), nodeLease('n2', VIRTUAL_EPOCH)],
    });
    const cm = await run(store, {
      nodeIpam: { clusterCidr: '10.50.0.0/16', nodeCidrMaskSize: 26 },
      nodeLifecycle: { nodeMonitorGracePeriodMs: 15_000 },
    });
    expect(cm.enabled).toEqual(expect.arrayContaining(['node-lifecycle-controller', 'taint-eviction-controller', 'node-ipam-controller']));
    await store.clock.advance(1_000);
    expect(['n1', 'n2'].map((name) => store.peek(Nodes, { name })?.spec?.podCIDR).sort()).toEqual(['10.50.0.0/26', '10.50.0.64/26']);
    await store.clock.advance(15_000);
    expect(store.peek(Nodes, { name: 'n1' })?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
  });

  it('skips the node IPAM controller when node CIDR allocation is off', async () => {
    const store = new FakeStore({ objects: [readyNode('n1', VIRTUAL_EPOCH)] });
    const cm = await run(store, { allocateNodeCidrs: false, controllers: ['node-ipam-controller', 'nodelifecycle'] });
    expect(cm.enabled).toEqual(['node-lifecycle-controller']);
    expect(cm.skipped).toEqual([{ name: 'node-ipam-controller', reason: expect.stringContaining('--allocate-node-cidrs=false') }]);
    await store.clock.advance(1_000);
    expect(store.peek(Nodes, { name: 'n1' })?.spec?.podCIDR).toBeUndefined();
  });
});
