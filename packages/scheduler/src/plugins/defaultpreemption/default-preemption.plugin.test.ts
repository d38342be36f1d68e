import { Events, Pods, type Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { Status } from '../../framework/status.js';
import { nominate, preemptionWorld, testNode, testPdb } from './default-preemption.fixture.js';

// True while the pod is stored and not being deleted (a bound pod's deletion is graceful: it keeps a deletionTimestamp for a while).
async function exists(world: Awaited<ReturnType<typeof preemptionWorld>>, name: string): Promise<boolean> {
  return (await world.store.list(Pods, { namespace: 'default' })).items.some(
    (p) => p.metadata.name === name && !p.metadata.deletionTimestamp,
  );
}

describe('DefaultPreemption', () => {
  it('preempts the lowest-priority pod on the best node and nominates that node', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '2'), testNode('n2', '2')],
      pods: [
        { name: 'mid', cpu: '2', priority: 50, nodeName: 'n1' },
        { name: 'low', cpu: '2', priority: 10, nodeName: 'n2' },
        { name: 'high', cpu: '2', priority: 100 },
      ],
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.status.isSuccess()).toBe(true);
    expect(result.nominatedNodeName).toBe('n2');
    expect(await exists(world, 'low')).toBe(false);
    expect(await exists(world, 'mid')).toBe(true);
  });

  it('gives the victim the DisruptionTarget condition, deletes it and records a Preempted event', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1')],
      pods: [
        { name: 'victim', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'high', cpu: '1', priority: 1000 },
      ],
    });
    const pod = world.pods.get('high')!;
    const victim = world.pods.get('victim')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result).toEqual({ status: Status.success, nominatedNodeName: 'n1' });

    const patch = world.store.writes({ verb: 'patch' }).find((a) => a.name === 'victim');
    expect(patch?.subresource).toBe('status');
    const patched = patch?.result as Pod;
    expect(patched.status?.conditions).toContainEqual(
      expect.objectContaining({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: 'default-scheduler: preempting to accommodate a higher priority pod',
      }),
    );
    expect(world.store.writes({ verb: 'delete' }).map((a) => a.name)).toEqual(['victim']);
    expect(await exists(world, 'victim')).toBe(false);

    await world.handle.events.flush();
    const events = (await world.store.list(Events, { namespace: 'default' })).items;
    expect(events).toContainEqual(
      expect.objectContaining({
        reason: 'Preempted',
        type: 'Normal',
        message: `Preempted by pod ${pod.metadata.uid} on node n1`,
        involvedObject: expect.objectContaining({ kind: 'Pod', name: 'victim', uid: victim.metadata.uid }) as unknown,
      }),
    );
  });

  it('avoids the node whose victim a PodDisruptionBudget protects when another candidate exists', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1'), testNode('n2', '1')],
      pods: [
        { name: 'guarded', cpu: '1', priority: 0, nodeName: 'n1', labels: { app: 'db' } },
        { name: 'free', cpu: '1', priority: 5, nodeName: 'n2', labels: { app: 'web' } },
        { name: 'high', cpu: '1', priority: 100 },
      ],
      pdbs: [testPdb('db', { app: 'db' }, 0)],
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n2');
    expect(await exists(world, 'guarded')).toBe(true);
    expect(await exists(world, 'free')).toBe(false);
  });

  it('preempts a PDB-protected pod when no other candidate exists', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1')],
      pods: [
        { name: 'guarded', cpu: '1', priority: 0, nodeName: 'n1', labels: { app: 'db' } },
        { name: 'high', cpu: '1', priority: 100 },
      ],
      pdbs: [testPdb('db', { app: 'db' }, 0)],
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n1');
    expect(await exists(world, 'guarded')).toBe(false);
  });

  it('does not preempt for a pod with preemptionPolicy Never', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1')],
      pods: [
        { name: 'low', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'high', cpu: '1', priority: 100, preemptionPolicy: 'Never' },
      ],
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.status.code).toBe('Unschedulable');
    expect(result.status.reasons).toEqual(['preemption: not eligible due to preemptionPolicy=Never.']);
    expect(result.nominatedNodeName).toBeUndefined();
    expect(world.store.writes()).toHaveLength(0);
  });

  it('waits while a lower-priority pod on its nominated node is terminating because of preemption', async () => {
    // `going` on n1 is being deleted after an earlier preemption: DisruptionTarget set, deletionTimestamp set.
    const setup = async () => {
      const world = await preemptionWorld({
        nodes: [testNode('n1', '1'), testNode('n2', '1')],
        pods: [
          { name: 'going', cpu: '1', priority: 0, nodeName: 'n1' },
          { name: 'other', cpu: '1', priority: 0, nodeName: 'n2' },
          { name: 'high', cpu: '1', priority: 100, nominatedNodeName: 'n1' },
        ],
      });
      const going = world.pods.get('going')!;
      const n1 = world.handle.nodes[0]!;
      n1.removePod(going);
      n1.addPod({
        ...going,
        metadata: { ...going.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
        status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] },
      });
      const pod = world.pods.get('high')!;
      return { world, pod, statuses: world.handle.filterStatuses(pod) };
    };

    const waiting = await setup();
    const result = await waiting.world.plugin.postFilter(new CycleState(), waiting.pod, waiting.statuses);
    expect(result.status.reasons).toEqual(['preemption: not eligible due to a terminating pod on the nominated node.']);
    expect(result.nominatedNodeName).toBeUndefined();
    expect(waiting.world.store.writes()).toHaveLength(0);

    // Once the nominated node cannot help at all (UnschedulableAndUnresolvable, or not filtered), the pod preempts elsewhere.
    const unresolvable = await setup();
    unresolvable.statuses.set('n1', Status.unresolvable('node(s) were unschedulable'));
    expect((await unresolvable.world.plugin.postFilter(new CycleState(), unresolvable.pod, unresolvable.statuses)).nominatedNodeName).toBe(
      'n2',
    );
    const unfiltered = await setup();
    unfiltered.statuses.delete('n1');
    expect((await unfiltered.world.plugin.postFilter(new CycleState(), unfiltered.pod, unfiltered.statuses)).nominatedNodeName).toBe('n2');
  });

  it('reports the nodes in Kubernetes form when no node can be made to fit', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1'), testNode('n2', '1'), testNode('n3', '1'), testNode('n4', '1')],
      pods: [
        { name: 'peer', cpu: '1', priority: 100, nodeName: 'n1' },
        { name: 'small', cpu: '100m', priority: 0, nodeName: 'n2' },
        { name: 'big', cpu: '2', priority: 100 },
      ],
    });
    const pod = world.pods.get('big')!;
    const statuses = world.handle.filterStatuses(pod);
    statuses.set('n3', Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
    // n4 was not filtered at all (absent from the statuses), n1 has only a peer of equal priority,
    // n2 still lacks room with its only lower-priority pod gone.
    statuses.delete('n4');
    const result = await world.plugin.postFilter(new CycleState(), pod, statuses);
    expect(result.status.code).toBe('Unschedulable');
    expect(result.status.reasons).toEqual([
      'preemption: 0/4 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    ]);
    expect(result.nominatedNodeName).toBe('');
    expect(world.store.writes()).toHaveLength(0);
  });

  it('keeps the victims it can: reprieves the more important pods first', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '3')],
      pods: [
        { name: 'a', cpu: '1', priority: 30, nodeName: 'n1' },
        { name: 'b', cpu: '1', priority: 20, nodeName: 'n1' },
        { name: 'c', cpu: '1', priority: 10, nodeName: 'n1' },
        { name: 'high', cpu: '2', priority: 100 },
      ],
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n1');
    expect(await exists(world, 'a')).toBe(true);
    expect(await exists(world, 'b')).toBe(false);
    expect(await exists(world, 'c')).toBe(false);
    // All three were taken out, then each added back (a stays, b and c are removed again).
    expect(world.handle.extensionCalls).toEqual(['remove a', 'remove b', 'remove c', 'add a', 'add b', 'remove b', 'add c', 'remove c']);
  });

  it('clears the nomination of lower-priority pods nominated to the chosen node', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1')],
      pods: [
        { name: 'victim', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'waiter', cpu: '1', priority: 50, nominatedNodeName: 'n1' },
        { name: 'high', cpu: '1', priority: 100 },
      ],
    });
    nominate(world.handle, 'n1', world.pods.get('waiter')!);
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n1');
    const waiter = await world.store.get(Pods, { namespace: 'default', name: 'waiter' });
    expect(waiter.status?.nominatedNodeName).toBeUndefined();
  });

  it('rejects a victim waiting at Permit instead of deleting it', async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '1')],
      pods: [
        { name: 'permit', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'high', cpu: '1', priority: 100 },
      ],
    });
    const waitingPod = world.pods.get('permit')!;
    const rejected: string[] = [];
    world.handle.waiting.set(waitingPod.metadata.uid!, {
      pod: waitingPod,
      pendingPlugins: () => ['Gang'],
      allow: () => undefined,
      reject: (plugin, message) => rejected.push(`${plugin}: ${message}`),
    });
    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n1');
    expect(rejected).toEqual(['DefaultPreemption: preempted']);
    expect(world.store.writes({ verb: 'delete' })).toHaveLength(0);
  });

  it('rejects invalid arguments with Kubernetes validation messages', async () => {
    await expect(
      preemptionWorld({ nodes: [testNode('n1')], pods: [], args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 } }),
    ).rejects.toThrow('minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute');
    await expect(preemptionWorld({ nodes: [testNode('n1')], pods: [], args: { minCandidateNodesPercentage: 101 } })).rejects.toThrow(
      'not in valid range [0, 100]',
    );
  });

  it('looks at only as many nodes as the args ask for, from a random first node', async () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => testNode(n, '1'));
    const pods = [
      ...nodes.map((n, i) => ({ name: `v${i + 1}`, cpu: '1', priority: n.metadata.name === 'n5' ? 1 : 10, nodeName: n.metadata.name! })),
      { name: 'high', cpu: '1', priority: 100 },
    ];
    const pick = async (args: unknown, random: number): Promise<string | undefined> => {
      const world = await preemptionWorld({ nodes, pods, args });
      world.plugin.random = () => random;
      const pod = world.pods.get('high')!;
      return (await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod))).nominatedNodeName;
    };
    const two = { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 2 };
    expect(await pick(two, 0)).toBe('n1'); // n1, n2 dry-run: n5's cheaper victim is never seen
    expect(await pick(two, 0.7)).toBe('n5'); // starts at n4
    expect(await pick(undefined, 0)).toBe('n5'); // the defaults (at least 100 nodes) see every node
  });

  it("keeps the victim's other conditions and skips the API calls for a victim already being deleted", async () => {
    const world = await preemptionWorld({
      nodes: [testNode('n1', '2')],
      pods: [
        { name: 'ready', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'leaving', cpu: '1', priority: 0, nodeName: 'n1' },
        { name: 'high', cpu: '2', priority: 100 },
      ],
    });
    await world.store.patch(
      Pods,
      { namespace: 'default', name: 'ready' },
      { type: 'strategic', body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } } },
      { subresource: 'status' },
    );
    const leaving = world.pods.get('leaving')!;
    const n1 = world.handle.nodes[0]!;
    n1.removePod(leaving);
    n1.addPod({ ...leaving, metadata: { ...leaving.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    world.store.clearActions();

    const pod = world.pods.get('high')!;
    const result = await world.plugin.postFilter(new CycleState(), pod, world.handle.filterStatuses(pod));
    expect(result.nominatedNodeName).toBe('n1');
    expect(world.store.writes({ kind: 'Pod' }).map((a) => `${a.verb} ${a.name}`)).toEqual(['patch ready', 'delete ready']);
    const ready = world.store.writes({ verb: 'patch' })[0]?.result as Pod;
    expect(ready.status?.conditions?.map((c) => `${c.type}=${c.status}`).sort()).toEqual(['DisruptionTarget=True', 'Ready=True']);
  });
});
