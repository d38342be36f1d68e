import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../../api/resource-type.js';
import type { ObjectStore } from '../../store/object-store.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { controllerFor } from '../controller/builder.js';
import { ScriptedInformerProvider } from '../../../test/fakes/scripted-informer.fake.js';
import { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import { LeaseStoreFake } from '../../../test/fakes/lease-store.fake.js';
import { Manager } from './manager.js';

const Foos: ResourceType = { group: 'example.com', version: 'v1', resource: 'foos', kind: 'Foo', namespaced: true };

async function get(base: string, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('Manager HTTP endpoints (server on 127.0.0.1)', () => {
  it('serves /healthz, /readyz (not ready until caches sync) and /metrics', async () => {
    const clock = new VirtualClock({ start: 0 });
    const informers = new ScriptedInformerProvider({ clock, autoSync: false });
    const manager = new Manager({
      store: new LeaseStoreFake().as('m') as ObjectStore,
      informers,
      clock,
      metrics: new RuntimeMetrics(),
      http: { port: 0 },
    });
    manager.add(controllerFor(Foos).complete({ reconcile: () => {} }));
    manager.addHealthzCheck('custom', () => {});
    const run = manager.start();
    for (let i = 0; i < 100 && !manager.address(); i++) await clock.settle(1);
    const addr = manager.address()!;
    expect(addr.address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${addr.port}`;

    expect(await get(base, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    expect((await get(base, '/healthz?verbose')).body).toBe('[+]ping ok\n[+]custom ok\nhealthz check passed\n');
    expect(await get(base, '/healthz/custom')).toMatchObject({ status: 200, body: 'ok' });
    expect((await get(base, '/healthz/nope')).status).toBe(404);

    const notReady = await get(base, '/readyz');
    expect(notReady.status).toBe(500);
    expect(notReady.body).toBe('[+]ping ok\n[-]controllers-synced failed: reason withheld\nreadyz check failed\n');
    expect((await get(base, '/readyz?exclude=controllers-synced')).status).toBe(200);

    informers.of(Foos).markSynced();
    for (let i = 0; i < 100 && (await get(base, '/readyz')).status !== 200; i++) await clock.settle(1);
    expect(await get(base, '/readyz')).toMatchObject({ status: 200, body: 'ok' });

    const metrics = await get(base, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    for (const name of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds',
      'controller_runtime_active_workers',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_retries_total',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(metrics.body).toContain(`# TYPE ${name} `);
    }
    expect(metrics.body).toContain('workqueue_depth{name="foo",controller="foo",priority=""} 0');

    await manager.stop();
    await run;
    expect(manager.address()).toBeUndefined();
  });
});
