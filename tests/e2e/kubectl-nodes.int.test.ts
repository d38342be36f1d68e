/**
 * The node controllers as kubectl sees them against `converge up --simulated-nodes 2`: the
 * simulated nodes renew Leases in kube-node-lease, keep the pod ranges they registered with
 * (the node IPAM controller keeps existing ranges), and the node lifecycle controller mirrors
 * `kubectl cordon` / `uncordon` as the `node.kubernetes.io/unschedulable` taint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
beforeAll(async () => {
  c = await startConvergeCluster({ args: ['--simulated-nodes', '2'] });
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
});

interface NodeItem {
  metadata: { name: string };
  spec?: { podCIDR?: string; taints?: { key: string; effect: string; timeAdded?: string }[] };
}

const node = (name: string) => JSON.parse(ok(c.kubectl(['get', 'node', name, '-o', 'json']))) as NodeItem;

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kubectl and the node controllers on simulated nodes', () => {
  it('shows a Lease per node in kube-node-lease, held by the node, and the pod ranges the nodes registered with', async () => {
    await until(
      () =>
        ok(c.kubectl(['-n', 'kube-node-lease', 'get', 'leases', '-o', 'name']))
          .split('\n')
          .filter(Boolean).length === 2,
      'leases',
    );
    const leases = JSON.parse(ok(c.kubectl(['-n', 'kube-node-lease', 'get', 'leases', '-o', 'json']))) as {
      items: { metadata: { name: string }; spec: { holderIdentity: string; leaseDurationSeconds: number } }[];
    };
    expect(leases.items.map((l) => [l.metadata.name, l.spec.holderIdentity, l.spec.leaseDurationSeconds])).toEqual([
      ['converge-node-1', 'converge-node-1', 40],
      ['converge-node-2', 'converge-node-2', 40],
    ]);
    expect([node('converge-node-1').spec?.podCIDR, node('converge-node-2').spec?.podCIDR]).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('taints a cordoned node unschedulable and removes the taint on uncordon', async () => {
    ok(c.kubectl(['cordon', 'converge-node-1']));
    const unschedulable = () => (node('converge-node-1').spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable');
    await until(unschedulable, 'the unschedulable taint');
    expect(node('converge-node-1').spec?.taints).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: expect.any(String) },
    ]);
    ok(c.kubectl(['uncordon', 'converge-node-1']));
    await until(() => !unschedulable(), 'the unschedulable taint to go');
    expect(node('converge-node-2').spec?.taints).toBeUndefined();
  });
});
