import { describe, expect, it } from 'vitest';
import type { ApiConnection, ApiRequest, ApiResponse } from '@converge/core/client';
import { VirtualClock } from '@converge/core/runtime';
import type { DiscoveredKind } from './kind-discovery.js';
import { apiDiscovery } from './api-discovery.js';

/** A scripted API server: path → JSON body (or an HTTP status to fail with). */
function fakeConnection(routes: Map<string, unknown>): ApiConnection {
  return {
    request: async (req: ApiRequest): Promise<ApiResponse> => {
      const r = routes.get(req.path);
      if (r === undefined) return { status: 404, headers: {}, rawHeaders: [], body: '{}' };
      if (typeof r === 'number') return { status: r, headers: {}, rawHeaders: [], body: '{}' };
      return { status: 200, headers: {}, rawHeaders: [], body: JSON.stringify(r) };
    },
  } as unknown as ApiConnection;
}

const names = (kinds: readonly DiscoveredKind[]) =>
  kinds.map((k) => `${k.group}/${k.version}/${k.resource}${k.preferred ? '*' : ''}`).sort();

describe('apiDiscovery', () => {
  it('reads /api and /apis, marks preferred versions, and emits again only when a refresh finds a change', async () => {
    const clock = new VirtualClock();
    const routes = new Map<string, unknown>([
      [
        '/api/v1',
        {
          resources: [
            { name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list'] },
            { name: 'pods/status', namespaced: true, kind: 'Pod', verbs: ['get'] },
          ],
        },
      ],
      [
        '/apis',
        {
          groups: [
            {
              name: 'autoscaling',
              versions: [
                { groupVersion: 'autoscaling/v2', version: 'v2' },
                { groupVersion: 'autoscaling/v1', version: 'v1' },
              ],
              preferredVersion: { version: 'v2' },
            },
          ],
        },
      ],
      [
        '/apis/autoscaling/v2',
        { resources: [{ name: 'horizontalpodautoscalers', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['list'] }] },
      ],
      [
        '/apis/autoscaling/v1',
        { resources: [{ name: 'horizontalpodautoscalers', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['list'] }] },
      ],
    ]);
    const discovery = apiDiscovery({ connection: fakeConnection(routes), clock, intervalMs: 1000 });
    expect(discovery.synced()).toBe(false);
    const seen: string[][] = [];
    const sub = discovery.changes.subscribe((k) => seen.push(names(k)));
    await clock.settle();
    expect(discovery.synced()).toBe(true);
    expect(seen).toEqual([['/v1/configmaps*', 'autoscaling/v1/horizontalpodautoscalers', 'autoscaling/v2/horizontalpodautoscalers*']]);
    await clock.advance(1000);
    expect(seen).toHaveLength(1);
    routes.set('/apis', {
      groups: [
        ...(routes.get('/apis') as { groups: unknown[] }).groups,
        { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { version: 'v1' } },
      ],
    });
    routes.set('/apis/example.com/v1', {
      resources: [{ name: 'gizmos', namespaced: true, kind: 'Gizmo', verbs: ['list', 'watch', 'get', 'delete'] }],
    });
    await clock.advance(1000);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toContain('example.com/v1/gizmos*');
    sub.unsubscribe();
  });

  it('keeps the kinds of a group version that stops answering, and reports the failure', async () => {
    const clock = new VirtualClock();
    const routes = new Map<string, unknown>([
      ['/api/v1', { resources: [] }],
      [
        '/apis',
        {
          groups: [
            { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { version: 'v1' } },
          ],
        },
      ],
      ['/apis/example.com/v1', { resources: [{ name: 'gizmos', namespaced: true, kind: 'Gizmo', verbs: ['list'] }] }],
    ]);
    const discovery = apiDiscovery({ connection: fakeConnection(routes), clock, intervalMs: 1000 });
    const sub = discovery.changes.subscribe();
    await clock.settle();
    expect(discovery.failures()).toEqual([]);
    routes.set('/apis/example.com/v1', 503);
    await clock.advance(1000);
    expect(discovery.failures()).toEqual(['example.com/v1: GET /apis/example.com/v1: HTTP 503']);
    expect(names(discovery.kinds())).toEqual(['example.com/v1/gizmos*']);
    sub.unsubscribe();
  });
});
