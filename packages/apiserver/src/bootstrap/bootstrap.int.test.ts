/**
 * What a server creates and keeps from its start: the `kubernetes` Service with its Endpoints
 * and EndpointSlice, the system PriorityClasses; and what it leaves to the controller-manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, mutable } from '@converge/core';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
const def = (resource: string, group = '') => t.catalog.get({ group, version: 'v1', resource })!;
const inDefault = { namespace: 'default', name: 'kubernetes' };

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

/** Resolves with the value once `probe` returns one (polling; fails after `timeoutMs`). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the kubernetes Service', () => {
  it('exists from the start with 10.96.0.1:443 forwarding to the API server', async () => {
    const svc = await t.registry.get(def('services'), inDefault);
    expect(svc.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(svc['spec']).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: t.api.port }],
    });
    const ep = await t.registry.get(def('endpoints'), inDefault);
    expect(ep['subsets']).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: t.api.port, protocol: 'TCP' }] }]);
    const slice = await t.registry.get(def('endpointslices', 'discovery.k8s.io'), inDefault);
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: t.api.port, protocol: 'TCP' }],
    });
  });

  it('is shown by kubectl as Kubernetes shows it', async () => {
    const k = t.kubectl();
    try {
      const out = await k.ok(['get', 'svc', 'kubernetes']);
      expect(out).toMatch(/^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
      expect(
        await k.ok(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}']),
      ).toBe(`127.0.0.1:${t.api.port}`);
    } finally {
      k.dispose();
    }
  });

  it('comes back when deleted, and its endpoints are put back when changed', async () => {
    const svc = await t.registry.get(def('services'), inDefault);
    await t.registry.delete(def('services'), inDefault);
    const again = await eventually(async () => {
      const s = await t.registry.get(def('services'), inDefault);
      return s.metadata.uid !== svc.metadata.uid ? s : undefined;
    });
    expect(again['spec']).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ port: 443, targetPort: t.api.port }] });

    const ep = mutable(await t.registry.get(def('endpoints'), inDefault));
    ep['subsets'] = [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'https', port: 1, protocol: 'TCP' }] }];
    await t.registry.update(def('endpoints'), ep);
    await eventually(async () => {
      const e = await t.registry.get(def('endpoints'), inDefault);
      return JSON.stringify(e['subsets']).includes('127.0.0.1') ? e : undefined;
    });

    await t.registry.delete(def('endpointslices', 'discovery.k8s.io'), inDefault);
    await eventually(() => t.registry.get(def('endpointslices', 'discovery.k8s.io'), inDefault));
  });
});

describe('what the controller-manager keeps', () => {
  // kube-apiserver alone creates neither: the service-account controller and the root CA
  // publisher (in @converge/builtin-controllers, tested there) do.
  it('is not created by the API server: no default ServiceAccount, no kube-root-ca.crt', async () => {
    await t.registry.create(def('namespaces'), { metadata: { name: 'bare' } });
    for (const namespace of ['default', 'kube-system', 'bare']) {
      await expect(t.registry.get(def('configmaps'), { namespace, name: 'kube-root-ca.crt' })).rejects.toMatchObject({ code: 404 });
      await expect(t.registry.get(def('serviceaccounts'), { namespace, name: 'default' })).rejects.toMatchObject({ code: 404 });
    }
  });
});

describe('system PriorityClasses', () => {
  it('exist from the start', async () => {
    const pcs = def('priorityclasses', 'scheduling.k8s.io');
    expect(await t.registry.get(pcs, { name: 'system-node-critical' })).toMatchObject({ value: 2000001000 });
    expect(await t.registry.get(pcs, { name: 'system-cluster-critical' })).toMatchObject({ value: 2000000000 });
  });
});
