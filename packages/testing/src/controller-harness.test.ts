import {
  ConfigMaps,
  Controller,
  controllerFor,
  isNotFound,
  mutable,
  Secrets,
  type ConfigMap,
  type ObjectStore,
  type Reconciler,
  type Request,
  type Result,
  type Secret,
} from '@converge/core';
import { describe, expect, it } from 'vitest';
import { startController } from './controller-harness.js';
import { FakeStore } from './fake-store.js';
import { QuiescenceError } from './quiescence.js';

const cm = (name: string, data: Record<string, string>, annotations?: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  data,
});

/** Keeps a Secret `<name>-mirror` owned by each ConfigMap, with the same data. */
@Controller({ for: ConfigMaps, owns: [Secrets] })
class MirrorController implements Reconciler {
  constructor(private readonly store: ObjectStore) {}

  async reconcile(req: Request): Promise<Result | void> {
    let source: ConfigMap;
    try {
      source = await this.store.get(ConfigMaps, req);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (source.metadata.name!.endsWith('-ignored')) return;
    const key = { namespace: req.namespace!, name: `${req.name}-mirror` };
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(source.data ?? {})) data[k] = Buffer.from(v).toString('base64');
    try {
      const secret = mutable(await this.store.get(Secrets, key));
      if (JSON.stringify(secret.data ?? {}) !== JSON.stringify(data)) {
        secret.data = data;
        await this.store.update(Secrets, secret);
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const owner = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: source.metadata.name!,
        uid: source.metadata.uid!,
        controller: true,
        blockOwnerDeletion: true,
      };
      await this.store.create(Secrets, { metadata: { ...key, ownerReferences: [owner] }, data } as Secret);
    }
    const every = source.metadata.annotations?.['test/every'];
    return every ? { requeueAfter: Number(every) } : undefined;
  }
}

describe('ControllerHarness', () => {
  it('runs a decorated controller over informers until it settles', async () => {
    const store = new FakeStore({ objects: [cm('a', { x: '1' }), cm('b', { y: '2' })] });
    const h = await startController({ store, controller: new MirrorController(store) });
    await h.runUntilQuiescent();
    expect(store.peek(Secrets, { namespace: 'default', name: 'a-mirror' })?.data).toEqual({ x: 'MQ==' });
    expect(store.peek(Secrets, { namespace: 'default', name: 'b-mirror' })?.data).toEqual({ y: 'Mg==' });
    // each ConfigMap once at start, then once more for the Secret it created (owner event)
    expect(h.reconciles.map((r) => r.key).sort()).toEqual(['default/a', 'default/a', 'default/b', 'default/b']);
    expect(h.reconciles.every((r) => r.outcome === 'done')).toBe(true);

    // a change after start reaches the controller through the watch
    const a = mutable(await store.get(ConfigMaps, { namespace: 'default', name: 'a' }));
    a.data = { x: 'changed' };
    await store.update(ConfigMaps, a);
    await h.runUntilQuiescent();
    expect(store.peek(Secrets, { namespace: 'default', name: 'a-mirror' })?.data).toEqual({ x: Buffer.from('changed').toString('base64') });

    // deleting an owned Secret brings it back
    await store.delete(Secrets, { namespace: 'default', name: 'b-mirror' });
    await h.runUntilQuiescent();
    expect(store.peek(Secrets, { namespace: 'default', name: 'b-mirror' })).toBeDefined();
    await h.stop();
  });

  it('follows back-off on virtual time when writes fail, until they succeed', async () => {
    const store = new FakeStore({ objects: [cm('a', { x: '1' })] });
    const failing = store.intercept(
      { verb: 'create', resource: 'secrets' },
      () => {
        throw new Error('injected');
      },
      { times: 4 },
    );
    const h = await startController({ store, controller: new MirrorController(store) });
    const start = store.clock.now();
    await h.runUntilQuiescent();
    expect(failing.calls).toBe(4);
    expect(h.reconciles.map((r) => r.outcome).slice(0, 5)).toEqual(['error', 'error', 'error', 'error', 'done']);
    // default per-item back-off: 5, 10, 20, 40 ms between the attempts
    const starts = h.reconciles.slice(0, 5).map((r) => r.startedAt - start);
    expect(starts).toEqual([0, 5, 15, 35, 75]);
    expect(h.reconciles.map((r) => r.retries).slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(store.peek(Secrets, { namespace: 'default', name: 'a-mirror' })).toBeDefined();
    await h.stop();
  });

  it('waits for requeueAfter on virtual time, or treats it as settled with allowDelayed', async () => {
    const store = new FakeStore({ objects: [cm('poll', { x: '1' }, { 'test/every': '60000' })] });
    const h = await startController({ store, controller: new MirrorController(store) });
    const idle = await h.runUntilQuiescent({ allowDelayed: true });
    expect(idle.delayed).toBe(1);
    expect(idle.virtualMs).toBe(0);
    await expect(h.runUntilQuiescent({ maxVirtualMs: 5 * 60_000 })).rejects.toThrow(QuiescenceError);
    await h.stop();
  });

  it('fails clearly when a controller never settles', async () => {
    const store = new FakeStore({ objects: [cm('a', {})] });
    let n = 0;
    const flapper = controllerFor(ConfigMaps).complete({
      reconcile: async (req: Request) => {
        const obj = mutable(await store.get(ConfigMaps, req));
        obj.data = { n: String(n++) };
        await store.update(ConfigMaps, obj); // its own write triggers the next reconcile
      },
    });
    const h = await startController({ store, controller: flapper });
    const err = await h.runUntilQuiescent({ maxReconciles: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuiescenceError);
    const message = (err as Error).message;
    expect(message).toMatch(/controllers did not settle: 50 reconciles ran and more were due \(limit 50\)/);
    expect(message).toMatch(/Most reconciled: configmap default\/a ×50/);
    expect(message).toMatch(/configmap default\/a → done/);
    await h.stop();
  });

  it('runs a plain reconciler on enqueued keys, with requeue back-off', async () => {
    const seen: number[] = [];
    const store = new FakeStore();
    const h = await startController({
      store,
      controller: {
        reconcile: (_req, ctx) => {
          seen.push(ctx.clock.now());
          return seen.length < 4 ? { requeue: true } : {};
        },
      },
    });
    const start = store.clock.now();
    h.enqueue('default/x');
    await h.runUntilQuiescent();
    expect(seen.map((t) => t - start)).toEqual([0, 5, 15, 35]);
    expect(h.reconciles.map((r) => r.outcome)).toEqual(['requeue', 'requeue', 'requeue', 'done']);
    await h.stop();
  });

  it('stops cleanly while a reconcile waits on injected latency', async () => {
    const store = new FakeStore({ objects: [cm('a', { x: '1' })] });
    store.intercept({ verb: 'create' }, async (ctx) => {
      await ctx.sleep(10_000);
    });
    const h = await startController({ store, controller: new MirrorController(store) });
    await store.clock.settle();
    expect(h.log.inProgress()).toBe(1);
    await h.stop();
    expect(h.runner.isRunning()).toBe(false);
    expect(h.reconciles[0]!.outcome).toBe('done');
  });
});
