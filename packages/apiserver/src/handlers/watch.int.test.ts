import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openWatch, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await call(t.api, { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'w' } } });
});
afterAll(async () => {
  await t?.close();
});

/** The tests select their own ConfigMaps by label (a cluster may hold others, such as `kube-root-ca.crt`). */
const OWN = 'labelSelector=app%3Dw';
const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'w' } },
  data,
});
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('watches over HTTP', () => {
  it('watches when asked with watch=True, as the official Python client asks', async () => {
    const list = await call(t.api, { path: `/api/v1/namespaces/w/configmaps?${OWN}` });
    const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const w = await openWatch(t.api, `/api/v1/namespaces/w/configmaps?watch=True&resourceVersion=${rv}&${OWN}`);
    expect(w.status).toBe(200);
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('python-client') });
    await w.waitFor(1);
    w.close();
    expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'python-client' } } });
    await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/w/configmaps/python-client' });
  });

  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion', async () => {
    const list = await call(t.api, { path: '/api/v1/namespaces/w/configmaps' });
    const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const w = await openWatch(t.api, `/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${rv}`);
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers['transfer-encoding']).toBe('chunked');
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('a') });
    await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/w/configmaps/a',
      body: { data: { k: 'v' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/w/configmaps/a' });
    await w.waitFor(3);
    w.close();
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(w.events[1]!.object).toMatchObject({ kind: 'ConfigMap', data: { k: 'v' } });
  });

  it('serves the legacy /watch/ paths and ends at timeoutSeconds', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('legacy') });
    const w = await openWatch(t.api, `/api/v1/watch/namespaces/w/configmaps?timeoutSeconds=1&${OWN}`);
    await w.waitFor(1);
    expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'legacy' } } });
    await w.ended;
  });

  it('sends an ERROR event with a 410 Status for a resourceVersion older than the history', async () => {
    const small = await startTestServer({ historySize: 16 });
    try {
      for (let i = 0; i < 40; i++)
        await call(small.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm(`h${i}`) });
      const w = await openWatch(small.api, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
      expect(w.status).toBe(200);
      await w.waitFor(1);
      await w.ended;
      expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
    } finally {
      await small.close();
    }
  });

  it('streams Table rows for kubectl get -w, with column definitions only in the first event', async () => {
    const list = await call(t.api, { path: '/api/v1/namespaces/w/configmaps', headers: { Accept: TABLE } });
    const table = list.json<{ kind: string; metadata: { resourceVersion: string }; columnDefinitions: { name: string }[] }>();
    expect(table.kind).toBe('Table');
    const w = await openWatch(t.api, `/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${table.metadata.resourceVersion}`, {
      Accept: TABLE,
    });
    expect(w.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('t1') });
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('t2') });
    await w.waitFor(2);
    w.close();
    const [first, second] = w.events as {
      type: string;
      object: {
        kind: string;
        columnDefinitions: unknown[];
        rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
      };
    }[];
    expect(first!.object.kind).toBe('Table');
    expect(first!.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(first!.object.rows[0]!.cells[0]).toBe('t1');
    expect(first!.object.rows[0]!.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 't1' },
    });
    expect(second!.object.columnDefinitions).toEqual([]);
    expect(second!.object.rows[0]!.cells[0]).toBe('t2');
  });

  it('sends the current state then a bookmark marking the end of initial events (sendInitialEvents)', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'initial' } } });
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/initial/configmaps', body: cm('i1') });
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/initial/configmaps', body: cm('i2') });
    const w = await openWatch(
      t.api,
      `/api/v1/namespaces/initial/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&${OWN}`,
    );
    await w.waitFor(3);
    w.close();
    expect(w.events.slice(0, 2).map((e) => [e.type, (e.object['metadata'] as { name: string }).name])).toEqual([
      ['ADDED', 'i1'],
      ['ADDED', 'i2'],
    ]);
    expect(w.events[2]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    const bad = await call(t.api, { path: '/api/v1/namespaces/initial/configmaps?watch=1&sendInitialEvents=true' });
    expect(bad.status).toBe(422);
  });

  it('filters a watch by label and field selectors', async () => {
    const list = await call(t.api, { path: '/api/v1/namespaces/w/configmaps' });
    const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const w = await openWatch(t.api, `/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dpicked`);
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('skipped') });
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/w/configmaps', body: cm('picked') });
    await w.waitFor(1);
    w.close();
    expect(w.events.map((e) => (e.object['metadata'] as { name: string }).name)).toEqual(['picked']);
  });

  it('ends the watch and frees it when the client goes away', async () => {
    const w = await openWatch(t.api, '/api/v1/namespaces/w/configmaps?watch=1');
    w.close();
    await w.ended;
    const metrics = await call(t.api, { path: '/metrics' });
    expect(metrics.text).toMatch(/apiserver_longrunning_requests\{[^}]*verb="WATCH"[^}]*\} \d/);
  });
});

describe('lists over HTTP', () => {
  it('pages with limit and continue', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'pages' } } });
    for (let i = 0; i < 5; i++) await call(t.api, { method: 'POST', path: '/api/v1/namespaces/pages/configmaps', body: cm(`p${i}`) });
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = await call(t.api, {
        path: `/api/v1/namespaces/pages/configmaps?limit=2&${OWN}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      });
      const l = r.json<{ items: { metadata: { name: string } }[]; metadata: { continue?: string } }>();
      names.push(...l.items.map((i) => i.metadata.name));
      cont = l.metadata.continue ?? '';
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });

  it('answers a Table with NAME first and rows carrying PartialObjectMetadata', async () => {
    const r = await call(t.api, { path: `/api/v1/namespaces/pages/configmaps?${OWN}`, headers: { Accept: TABLE } });
    expect(r.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = r.json<{
      columnDefinitions: { name: string; type: string }[];
      rows: { cells: unknown[]; object: { metadata: { labels: Record<string, string> } } }[];
    }>();
    expect(table.columnDefinitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name' });
    expect(table.columnDefinitions.map((c) => c.name)).toContain('Age');
    expect(table.rows).toHaveLength(5);
    expect(table.rows[0]!.object.metadata.labels).toEqual({ app: 'w' });
    const none = await call(t.api, { path: `/api/v1/namespaces/pages/configmaps?includeObject=None&${OWN}`, headers: { Accept: TABLE } });
    expect(none.json<{ rows: { object?: unknown }[] }>().rows[0]!.object).toBeUndefined();
  });

  it('answers PartialObjectMetadataList for metadata-only clients', async () => {
    const r = await call(t.api, {
      path: `/api/v1/namespaces/pages/configmaps?${OWN}`,
      headers: { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
    });
    const l = r.json<{ kind: string; items: { kind: string; metadata: { name: string }; data?: unknown }[] }>();
    expect(l.kind).toBe('PartialObjectMetadataList');
    expect(l.items[0]).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'p0' } });
    expect(l.items[0]!.data).toBeUndefined();
  });

  it('streams a large list as valid JSON', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'big' } } });
    const payload = 'x'.repeat(2000);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.registry.create(t.catalog.get({ group: '', version: 'v1', resource: 'configmaps' })!, {
          metadata: { name: `c${i}`, namespace: 'big', labels: { app: 'w' } },
          data: { payload },
        }),
      ),
    );
    const r = await call(t.api, { path: `/api/v1/namespaces/big/configmaps?${OWN}` });
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.json<{ items: unknown[] }>().items).toHaveLength(200);
  });
});
