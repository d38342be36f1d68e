import { describe, expect, it } from 'vitest';
import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { Events, type Event } from '../kinds/core/event.kind.js';
import { VirtualClock } from '../util/virtual-clock.js';
import { COMBINED_EVENTS_PREFIX } from './event-correlator.js';
import { EventRecorder } from './event-recorder.js';
import { WriteStoreFake } from '../../test/fakes/write-store.fake.js';

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns', uid: 'w-1', resourceVersion: '7' },
};

function setup(options: Partial<ConstructorParameters<typeof EventRecorder>[0]> = {}) {
  const clock = new VirtualClock();
  const store = new WriteStoreFake(clock);
  const recorder = new EventRecorder({ store, clock, component: 'widget-controller', host: 'node-1', ...options });
  return { clock, store, recorder, events: () => store.all(Events) as Event[] };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event about the object with source, type, count and timestamps', async () => {
    const { recorder, events } = setup();
    recorder.normal(widget, 'Created', 'created deployment w-web');
    await recorder.flush();
    expect(events()).toHaveLength(1);
    const e = events()[0]!;
    expect(e).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'ns' },
      involvedObject: { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'ns', name: 'w', uid: 'w-1', resourceVersion: '7' },
      reason: 'Created',
      message: 'created deployment w-web',
      type: 'Normal',
      source: { component: 'widget-controller', host: 'node-1' },
      reportingComponent: 'widget-controller',
      reportingInstance: 'node-1',
      count: 1,
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:00:00Z',
    });
    expect(e.metadata.name).toMatch(/^w\.[0-9a-f]+$/);
  });

  it('counts a repeated event into the first one with a patch of count and lastTimestamp', async () => {
    const { clock, store, recorder, events } = setup();
    recorder.warning(widget, 'InvalidSpec', 'size must be positive');
    await recorder.flush();
    await clock.advance(30_000);
    recorder.warning(widget, 'InvalidSpec', 'size must be positive');
    await clock.advance(30_000);
    recorder.warning(widget, 'InvalidSpec', 'size must be positive');
    await recorder.flush();
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({
      count: 3,
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:01:00Z',
      type: 'Warning',
    });
    expect(store.calls.filter((c) => c.verb === 'patch').map((c) => c.body)).toEqual([
      { count: 2, lastTimestamp: '2024-01-01T00:00:30Z' },
      { count: 3, lastTimestamp: '2024-01-01T00:01:00Z' },
    ]);
    recorder.warning(widget, 'InvalidSpec', 'size must be at most 10');
    recorder.normal(widget, 'InvalidSpec', 'size must be positive');
    await recorder.flush();
    expect(events()).toHaveLength(3);
  });

  it('creates the event anew, keeping its count, when the counted one is gone', async () => {
    const { store, recorder, events } = setup();
    recorder.normal(widget, 'Synced', 'ok');
    await recorder.flush();
    const first = events()[0]!;
    await store.delete(Events, { namespace: 'ns', name: first.metadata.name! });
    recorder.normal(widget, 'Synced', 'ok');
    await recorder.flush();
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({ count: 2, metadata: { name: first.metadata.name } });
  });

  it('combines similar events with changing messages after ten of them', async () => {
    const { recorder, events } = setup();
    for (let i = 0; i < 14; i++) recorder.warning(widget, 'BackOff', `restart ${i}`);
    await recorder.flush();
    const all = events();
    expect(all).toHaveLength(10);
    const combined = all.find((e) => e.message?.startsWith(COMBINED_EVENTS_PREFIX))!;
    expect(combined).toMatchObject({ count: 5, message: `${COMBINED_EVENTS_PREFIX}restart 13` });
  });

  it('throttles a source that floods one object: a burst of 25, then one per five minutes', async () => {
    const { clock, recorder, events } = setup({ aggregateMaxEvents: 1_000 });
    for (let i = 0; i < 30; i++) recorder.normal(widget, `Reason${i}`, 'm');
    await recorder.flush();
    expect(events()).toHaveLength(25);
    await clock.advance(300_000);
    recorder.normal(widget, 'Late1', 'm');
    recorder.normal(widget, 'Late2', 'm');
    await recorder.flush();
    expect(events().map((e) => e.reason)).toContain('Late1');
    expect(events().map((e) => e.reason)).not.toContain('Late2');
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const { recorder, events } = setup();
    recorder.normal({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } }, 'NodeReady', 'ready');
    await recorder.flush();
    expect(events()[0]!.metadata.namespace).toBe('default');
    expect(events()[0]!.involvedObject).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'n' });
  });

  it('retries server errors on the clock, and drops an event the server refuses', async () => {
    const { clock, store, recorder, events } = setup({ retryDelayMs: 1_000 });
    store.failures.create = [new StatusError('ServiceUnavailable', 'etcd down', { code: 503 })];
    recorder.normal(widget, 'A', 'first');
    await clock.settle();
    expect(events()).toHaveLength(0);
    await clock.advance(1_250);
    await recorder.flush();
    expect(events().map((e) => e.reason)).toEqual(['A']);
    store.failures.create = [new StatusError('Forbidden', 'no')];
    recorder.normal(widget, 'B', 'second');
    await recorder.flush();
    expect(events().map((e) => e.reason)).toEqual(['A']);
    recorder.normal(widget, 'C', 'third');
    await recorder.flush();
    expect(
      events()
        .map((e) => e.reason)
        .sort(),
    ).toEqual(['A', 'C']);
  });
});
