import {
  ConfigMaps,
  isNotFound,
  mutable,
  sleep,
  TerminalError,
  type ConfigMap,
  type ObjectStore,
  type ReconcileContext,
  type Request,
  type Result,
} from '@converge/core';
import { describe, expect, it } from 'vitest';
import { FakeStore } from './fake-store.js';
import { latency } from './interceptors.js';
import { ReconcilerHarness } from './reconciler-harness.js';

/** Copies `data` of ConfigMap X into ConfigMap X-copy; returns requeueAfter when asked by an annotation. */
class CopyReconciler {
  constructor(private readonly store: ObjectStore) {}
  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    let source: ConfigMap;
    try {
      source = await this.store.get(ConfigMaps, req);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (source.metadata.annotations?.['test/terminal']) throw new TerminalError('bad spec');
    if (source.metadata.annotations?.['test/wait']) await sleep(ctx.clock, Number(source.metadata.annotations['test/wait']));
    const key = { namespace: req.namespace!, name: `${req.name}-copy` };
    try {
      const copy = mutable(await this.store.get(ConfigMaps, key));
      if (JSON.stringify(copy.data) !== JSON.stringify(source.data)) {
        copy.data = { ...source.data };
        await this.store.update(ConfigMaps, copy);
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.store.create(ConfigMaps, { metadata: { ...key }, data: { ...source.data } });
    }
    const every = source.metadata.annotations?.['test/every'];
    return every ? { requeueAfter: Number(every) } : {};
  }
}

const cm = (name: string, data: Record<string, string>, annotations?: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  data,
});

function setup(...objects: ConfigMap[]) {
  const store = new FakeStore({ objects });
  return { store, harness: new ReconcilerHarness({ store, reconciler: new CopyReconciler(store) }) };
}

describe('ReconcilerHarness', () => {
  it('reports the result, the store calls and the writes of one reconcile', async () => {
    const { store, harness } = setup(cm('a', { k: 'v' }, { 'test/every': '30000' }));
    const run = await harness.reconcile('default/a');
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ requeueAfter: 30_000 });
    expect(run.outcome).toBe('requeueAfter');
    expect(run.actions.map((a) => `${a.verb} ${a.name}`)).toEqual(['get a', 'get a-copy', 'create a-copy']);
    expect(run.writes).toHaveLength(1);
    expect(store.peek(ConfigMaps, { namespace: 'default', name: 'a-copy' })?.data).toEqual({ k: 'v' });

    const again = await harness.reconcile({ namespace: 'default', name: 'a' });
    expect(again.writes).toEqual([]);
    expect(harness.runs).toHaveLength(2);
  });

  it('captures a thrown error instead of throwing, and classifies terminal errors', async () => {
    const { store, harness } = setup(cm('a', {}), cm('bad', {}, { 'test/terminal': 'yes' }));
    store.intercept({ verb: 'create' }, () => {
      throw new Error('boom');
    });
    const run = await harness.reconcile('default/a');
    expect(run.outcome).toBe('error');
    expect(run.result).toBeUndefined();
    expect((run.error as Error).message).toBe('boom');
    expect((await harness.reconcile('default/bad')).outcome).toBe('terminal');
  });

  it('returns done for a key whose object is gone', async () => {
    const { harness } = setup();
    const run = await harness.reconcile('default/missing');
    expect(run.outcome).toBe('done');
    expect(run.result).toEqual({});
  });

  it('drives virtual time while the reconcile waits on it', async () => {
    const { store, harness } = setup(cm('a', { k: 'v' }, { 'test/wait': '5000' }));
    store.intercept({ verb: 'create' }, latency(250));
    const start = store.clock.now();
    const run = await harness.reconcile('default/a');
    expect(run.error).toBeUndefined();
    expect(run.virtualMs).toBe(5250);
    expect(store.clock.now() - start).toBe(5250);
  });

  it('fails clearly when a reconcile waits on something that never happens', async () => {
    const store = new FakeStore();
    const harness = new ReconcilerHarness({ store, reconciler: { reconcile: () => new Promise<void>(() => {}) } });
    await expect(harness.reconcile('default/x')).rejects.toThrow(/waiting on something other than virtual time/);
  });

  it('passes the retry count and a signal in the context', async () => {
    let seen: ReconcileContext | undefined;
    const harness = new ReconcilerHarness({ reconciler: { reconcile: (_r, ctx) => void (seen = ctx) }, name: 'mine' });
    const abort = new AbortController();
    await harness.reconcile('x', { retries: 3, signal: abort.signal });
    expect(seen).toMatchObject({ controller: 'mine', retries: 3 });
    expect(seen!.signal).toBe(abort.signal);
    expect(seen!.clock).toBe(harness.store.clock);
  });

  it('reconciles until stable, and fails when a reconciler keeps writing', async () => {
    const { harness } = setup(cm('a', { k: 'v' }));
    const runs = await harness.reconcileUntilStable('default/a');
    expect(runs.map((r) => r.writes.length)).toEqual([1, 0]);

    let n = 0;
    const store = new FakeStore({ objects: [cm('flip', {})] });
    const flipper = new ReconcilerHarness({
      store,
      reconciler: {
        reconcile: async (req) => {
          const obj = mutable(await store.get(ConfigMaps, req));
          obj.data = { n: String(n++) };
          await store.update(ConfigMaps, obj);
        },
      },
    });
    await expect(flipper.reconcileUntilStable('default/flip', { maxRuns: 5 })).rejects.toThrow(
      /still changing after 5 reconciles.*update ConfigMap flip/,
    );
  });
});
