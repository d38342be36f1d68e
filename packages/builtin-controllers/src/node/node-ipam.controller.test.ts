import { Events, forbidden, Nodes, type Node } from '@converge/core';
import { FakeStore, ReconcilerHarness } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { CidrSet, parseIpv4Cidr } from './cidr-set.js';
import { CIDR_RETRY_MS, NodeIpamController } from './node-ipam.controller.js';

const node = (name: string, podCIDR?: string): Node =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    ...(podCIDR ? { spec: { podCIDR, podCIDRs: [podCIDR] } } : {}),
  }) as Node;

const cidrOf = (store: FakeStore, name: string) => store.peek(Nodes, { name })?.spec?.podCIDR;

describe('CidrSet', () => {
  it('hands out the subnets of the cluster CIDR round-robin and says when none is left', () => {
    const set = new CidrSet({ clusterCidr: '10.1.0.0/22', nodeMaskSize: 24 });
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['10.1.0.0/24', '10.1.1.0/24']);
    expect(set.release('10.1.0.0/24')).toBe(true);
    // the released range comes back only after the ones never handed out
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.1.2.0/24', '10.1.3.0/24', '10.1.0.0/24']);
    expect(set.allocateNext()).toBeUndefined();
    expect(set.inUse()).toBe(4);
  });

  it('occupies the ranges nodes already have, and ignores ranges outside the cluster CIDR', () => {
    const set = new CidrSet({ clusterCidr: '10.244.0.0/16', nodeMaskSize: 24 });
    expect(set.occupy('10.244.0.0/24')).toBe(true);
    expect(set.occupy('10.244.2.0/23')).toBe(true); // covers .2 and .3
    expect(set.occupy('192.168.0.0/24')).toBe(false);
    expect(set.occupy('fd00::/64')).toBe(false);
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['10.244.1.0/24', '10.244.4.0/24']);
  });

  it('refuses a mask size that does not fit the cluster CIDR, and a CIDR with host bits', () => {
    expect(() => new CidrSet({ clusterCidr: '10.0.0.0/16', nodeMaskSize: 8 })).toThrow(/between/);
    expect(() => new CidrSet({ clusterCidr: '10.0.0.0/8', nodeMaskSize: 30 })).toThrow(/2\^16/);
    expect(() => parseIpv4Cidr('10.0.0.1/24')).toThrow(/host bits/);
    expect(parseIpv4Cidr('10.0.0.0/24')).toEqual({ base: 0x0a000000, prefix: 24 });
  });
});

describe('NodeIpamController', () => {
  it('gives nodes distinct ranges and keeps the ones nodes already have, also across a restart', async () => {
    const store = new FakeStore({ objects: [node('a'), node('b', '10.244.0.0/24'), node('c')] });
    const harness = new ReconcilerHarness({ store, reconciler: new NodeIpamController(store, store.clock) });
    for (const n of ['a', 'b', 'c']) expect((await harness.reconcile(n)).error).toBeUndefined();
    expect(['a', 'b', 'c'].map((n) => cidrOf(store, n))).toEqual(['10.244.1.0/24', '10.244.0.0/24', '10.244.2.0/24']);
    expect(store.peek(Nodes, { name: 'a' })?.spec?.podCIDRs).toEqual(['10.244.1.0/24']);
    // a new controller (a restart) sees what is taken before its first allocation
    await store.create(Nodes, node('d'));
    const restarted = new ReconcilerHarness({ store, reconciler: new NodeIpamController(store, store.clock) });
    await restarted.reconcile('d');
    expect(cidrOf(store, 'd')).toBe('10.244.3.0/24');
  });

  it('records CIDRNotAvailable when the range is full, and gives a released range once a node is deleted', async () => {
    const store = new FakeStore({ objects: [node('n1'), node('n2'), node('n3')] });
    const controller = new NodeIpamController(store, store.clock, { clusterCidr: '10.8.0.0/23', nodeCidrMaskSize: 24 });
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    await harness.reconcile('n1');
    await harness.reconcile('n2');
    const full = await harness.reconcile('n3');
    expect(full.error).toBeUndefined();
    expect(full.result).toEqual({ requeueAfter: CIDR_RETRY_MS });
    expect(cidrOf(store, 'n3')).toBeUndefined();
    await controller.events.flush();
    const events = (await store.list(Events, { namespace: 'default' })).items;
    expect(events.map((e) => [e.reason, e.involvedObject.name, e.message])).toContainEqual([
      'CIDRNotAvailable',
      'n3',
      'Node n3 status is now: CIDRNotAvailable',
    ]);

    const released = cidrOf(store, 'n1');
    await store.delete(Nodes, { name: 'n1' });
    await harness.reconcile('n1');
    await store.clock.advance(CIDR_RETRY_MS);
    expect((await harness.reconcile('n3')).error).toBeUndefined();
    expect(cidrOf(store, 'n3')).toBe(released);
  });

  it('gives the range back and records CIDRAssignmentFailed when the API refuses the write', async () => {
    const store = new FakeStore({ objects: [node('n1')] });
    const controller = new NodeIpamController(store, store.clock, { clusterCidr: '10.8.0.0/24', nodeCidrMaskSize: 24 });
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    store.intercept({ verb: 'patch', resource: 'nodes' }, () => {
      throw forbidden({ resource: 'nodes' }, 'n1', 'not allowed');
    });
    expect((await harness.reconcile('n1')).error).toBeDefined();
    expect(controller.cidrs.inUse()).toBe(0);
    await controller.events.flush();
    expect((await store.list(Events, { namespace: 'default' })).items.map((e) => e.reason)).toContain('CIDRAssignmentFailed');
    store.clearInterceptors();
    expect((await harness.reconcile('n1')).error).toBeUndefined();
    expect(cidrOf(store, 'n1')).toBe('10.8.0.0/24');
  });
});
