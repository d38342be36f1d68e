import { VirtualClock } from '@converge/core/runtime';
import { describe, expect, it } from 'vitest';
import { ActionType, type ClusterEventWithHint } from '../framework/cluster-event.js';
import { pod } from '../scheduler.fixture.js';
import { SchedulingQueue } from './scheduling-queue.js';

const NODE_ADD = { resource: 'Node', actionType: ActionType.Add } as const;
const ASSIGNED_POD_DELETE = { resource: 'AssignedPod', actionType: ActionType.Delete } as const;

function setup(events: Record<string, readonly ClusterEventWithHint[] | undefined> = {}) {
  const clock = new VirtualClock();
  const queue = new SchedulingQueue({ clock, eventsOf: (_profile, plugin) => events[plugin] });
  return { clock, queue };
}

const withUid = (name: string, options: Parameters<typeof pod>[1] = {}) => {
  const p = pod(name, options);
  return { ...p, metadata: { ...p.metadata, uid: `uid-${name}` } };
};

/** Pops the pod and fails it, rejected by `plugins` (none: an error). */
function fail(queue: SchedulingQueue, plugins: string[] = []) {
  const info = queue.tryPop()!;
  info.unschedulablePlugins = new Set(plugins);
  queue.addUnschedulable(info);
  return info;
}

describe('SchedulingQueue', () => {
  it('pops pods by priority, then in the order they arrived', () => {
    const { queue } = setup();
    queue.add(withUid('low', { priority: 0 }));
    queue.add(withUid('high', { priority: 10 }));
    queue.add(withUid('mid-1', { priority: 5 }));
    queue.add(withUid('mid-2', { priority: 5 }));
    const order = [];
    for (let i = queue.tryPop(); i; i = queue.tryPop()) order.push(i.pod.metadata.name);
    expect(order).toEqual(['high', 'mid-1', 'mid-2', 'low']);
  });

  it('backs a failing pod off 1 s, doubling per attempt up to 10 s', async () => {
    const { clock, queue } = setup();
    queue.add(withUid('p'));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      fail(queue);
      expect(queue.whereIs('uid-p')).toBe('backoff');
      const from = clock.now();
      while (queue.whereIs('uid-p') !== 'active') await clock.advance(100);
      waits.push(clock.now() - from);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('wakes an unschedulable pod only on an event its rejecting plugin registered', async () => {
    const { clock, queue } = setup({ FakeFit: [{ event: NODE_ADD }] });
    queue.add(withUid('p'));
    fail(queue, ['FakeFit']);
    expect(queue.whereIs('uid-p')).toBe('unschedulable');
    queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, {}, undefined);
    queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeLabel }, {}, {});
    expect(queue.whereIs('uid-p')).toBe('unschedulable');
    await clock.advance(5000);
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, {});
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('sends a woken pod still within its back-off to backoffQ', () => {
    const { queue } = setup({ FakeFit: [{ event: NODE_ADD }] });
    queue.add(withUid('p'));
    fail(queue, ['FakeFit']);
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, {});
    expect(queue.whereIs('uid-p')).toBe('backoff');
  });

  it('asks the queueing hint, and leaves the pod when it says Skip', async () => {
    const { clock, queue } = setup({
      FakeFit: [{ event: NODE_ADD, hint: (_pod, _old, node) => ((node as { big?: boolean }).big ? 'Queue' : 'Skip') }],
    });
    queue.add(withUid('p'));
    fail(queue, ['FakeFit']);
    await clock.advance(2000);
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, { big: false });
    expect(queue.whereIs('uid-p')).toBe('unschedulable');
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, { big: true });
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('moves any pod rejected by a plugin that registers no events on every event', async () => {
    const { clock, queue } = setup({});
    queue.add(withUid('p'));
    fail(queue, ['Opaque']);
    await clock.advance(2000);
    queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, {}, undefined);
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('requeues a pod at once when a matching event arrived while it was being scheduled', async () => {
    const { clock, queue } = setup({ FakeFit: [{ event: NODE_ADD }] });
    queue.add(withUid('p'));
    const info = queue.tryPop()!;
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, {});
    info.unschedulablePlugins = new Set(['FakeFit']);
    queue.addUnschedulable(info);
    expect(queue.whereIs('uid-p')).toBe('backoff');
    await clock.advance(1000);
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('flushes pods that waited 5 minutes in unschedulablePods without a matching event', async () => {
    const { clock, queue } = setup({ FakeFit: [{ event: NODE_ADD }] });
    queue.add(withUid('p'));
    fail(queue, ['FakeFit']);
    await clock.advance(299_000);
    expect(queue.whereIs('uid-p')).toBe('unschedulable');
    await clock.advance(1000);
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('moves an unschedulable pod on an update of its spec, not of its status only', async () => {
    const { clock, queue } = setup({});
    const p = withUid('p');
    queue.add(p);
    fail(queue, ['Opaque']);
    await clock.advance(2000);
    const statusOnly = { ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } };
    queue.update(p, statusOnly);
    expect(queue.whereIs('uid-p')).toBe('unschedulable');
    queue.update(statusOnly, { ...statusOnly, metadata: { ...statusOnly.metadata, labels: { a: 'b' } } });
    expect(queue.whereIs('uid-p')).toBe('active');
  });

  it('forgets a deleted pod wherever it waits', () => {
    const { queue } = setup({ FakeFit: [{ event: NODE_ADD }] });
    queue.add(withUid('a'));
    queue.add(withUid('b'));
    fail(queue, ['FakeFit']);
    queue.delete(withUid('a'));
    queue.delete(withUid('b'));
    expect(queue.stats()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });

  it('resolves a waiting pop when a pod arrives', async () => {
    const { queue } = setup();
    const popped = queue.pop();
    queue.add(withUid('late'));
    expect((await popped)?.pod.metadata.name).toBe('late');
  });
});
