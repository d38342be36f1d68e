import { describe, expect, it } from 'vitest';
import type { KubeObject, ObjectStore, ResourceType } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import { NS, createNamespace, statusErrorOf } from './fixtures.js';

/** core/v1 services. */
export const ServicesType: ResourceType = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };

type Spec = Record<string, unknown> & { ports?: Record<string, unknown>[] };

/** A Service body. */
export function service(name: string, spec: Spec = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  };
}

interface ServiceView {
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  type?: string;
  healthCheckNodePort?: number;
  ports?: { port: number; nodePort?: number; name?: string; protocol?: string }[];
}

const specOf = (o: KubeObject) => o.spec as ServiceView;

/** Whether an address lies in 10.96.0.0/12 (10.96.0.0 – 10.111.255.255). */
function inServiceCIDR(ip: string | undefined): boolean {
  const m = /^10\.(\d+)\.(\d+)\.(\d+)$/.exec(ip ?? '');
  return !!m && Number(m[1]) >= 96 && Number(m[1]) <= 111;
}

const inNodePortRange = (p: number | undefined) => p !== undefined && p >= 30000 && p <= 32767;

async function invalidMessage(p: Promise<unknown>): Promise<string> {
  const err = await statusErrorOf(p);
  expect(err.code).toBe(422);
  expect(err.reason).toBe('Invalid');
  return err.message;
}

/**
 * Service allocation: cluster IPs from the service CIDR (10.96.0.0/12), node ports from
 * 30000–32767, health check node ports; explicit requests, conflicts, releases on type
 * change and delete; consistency across stores sharing the storage.
 */
export function servicesSuite(h: HarnessAccessor): void {
  describe('service IP and port allocation', () => {
    it('allocates a distinct cluster IP from the service CIDR, never the kubernetes Service address', async () => {
      const { store } = h();
      await createNamespace(store);
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const svc = await store.create(ServicesType, service(`web${i}`));
        const s = specOf(svc);
        expect(inServiceCIDR(s.clusterIP), s.clusterIP).toBe(true);
        expect(s.clusterIP).not.toBe('10.96.0.1');
        expect(s.clusterIPs).toEqual([s.clusterIP]);
        expect(s.ipFamilies).toEqual(['IPv4']);
        expect(s.ipFamilyPolicy).toBe('SingleStack');
        seen.add(s.clusterIP!);
        expect((await store.get(ServicesType, { namespace: NS, name: `web${i}` })).spec).toEqual(svc.spec);
      }
      expect(seen.size).toBe(5);
    });

    it('gives a requested cluster IP, 10.96.0.1 included, and refuses one already allocated or out of range', async () => {
      const { store } = h();
      await createNamespace(store);
      const a = await store.create(ServicesType, service('a', { clusterIP: '10.96.0.10' }));
      expect(specOf(a).clusterIPs).toEqual(['10.96.0.10']);
      expect(specOf(await store.create(ServicesType, service('kubernetes', { clusterIP: '10.96.0.1' }))).clusterIP).toBe('10.96.0.1');
      expect(await invalidMessage(store.create(ServicesType, service('b', { clusterIP: '10.96.0.10' })))).toBe(
        'The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
      );
      expect(await invalidMessage(store.create(ServicesType, service('c', { clusterIP: '192.168.1.1' })))).toBe(
        'The Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
      );
      await expect(store.get(ServicesType, { namespace: NS, name: 'b' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('keeps headless services headless and gives ExternalName services no IP', async () => {
      const { store } = h();
      await createNamespace(store);
      const headless = specOf(await store.create(ServicesType, service('db', { clusterIP: 'None' })));
      expect(headless).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
      const selectorless = specOf(
        await store.create(ServicesType, { ...service('peers'), spec: { clusterIP: 'None', ports: [{ port: 80 }] } }),
      );
      expect(selectorless).toMatchObject({ clusterIP: 'None', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
      const ext = specOf(
        await store.create(ServicesType, { ...service('ext'), spec: { type: 'ExternalName', externalName: 'example.com' } }),
      );
      expect(ext.clusterIP).toBeUndefined();
      expect(ext.clusterIPs).toBeUndefined();
      expect(ext.ipFamilies).toBeUndefined();
    });

    it('refuses dual-stack requests on a single-stack cluster', async () => {
      const { store } = h();
      await createNamespace(store);
      expect(await invalidMessage(store.create(ServicesType, service('a', { ipFamilyPolicy: 'RequireDualStack' })))).toBe(
        'The Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
      );
      expect(await invalidMessage(store.create(ServicesType, service('b', { ipFamilies: ['IPv6'] })))).toBe(
        'The Service "b" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
      );
    });

    it('allocates a node port per port of NodePort services; ports of one number share it', async () => {
      const { store } = h();
      await createNamespace(store);
      const svc = await store.create(
        ServicesType,
        service('np', {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443 },
            { name: 'dns', port: 53, protocol: 'TCP' },
            { name: 'dns-udp', port: 53, protocol: 'UDP' },
          ],
        }),
      );
      const ports = specOf(svc).ports!;
      for (const p of ports) expect(inNodePortRange(p.nodePort), String(p.nodePort)).toBe(true);
      expect(ports[0]!.nodePort).not.toBe(ports[1]!.nodePort);
      expect(ports[2]!.nodePort).toBe(ports[3]!.nodePort);
      expect(inServiceCIDR(specOf(svc).clusterIP)).toBe(true);
    });

    it('gives a requested node port and refuses one already allocated or out of range', async () => {
      const { store } = h();
      await createNamespace(store);
      const a = await store.create(ServicesType, service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
      expect(specOf(a).ports![0]!.nodePort).toBe(30080);
      expect(
        await invalidMessage(store.create(ServicesType, service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))),
      ).toBe('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
      expect(
        await invalidMessage(store.create(ServicesType, service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))),
      ).toBe(
        'The Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
      );
    });

    it('gives LoadBalancer services node ports, and a health check node port with externalTrafficPolicy Local', async () => {
      const { store } = h();
      await createNamespace(store);
      const lb = specOf(await store.create(ServicesType, service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
      expect(inNodePortRange(lb.ports![0]!.nodePort)).toBe(true);
      expect(inNodePortRange(lb.healthCheckNodePort)).toBe(true);
      expect(lb.healthCheckNodePort).not.toBe(lb.ports![0]!.nodePort);
      const plain = specOf(await store.create(ServicesType, service('lb2', { type: 'LoadBalancer' })));
      expect(plain.healthCheckNodePort).toBeUndefined();
      const none = specOf(await store.create(ServicesType, service('lb3', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })));
      expect(none.ports![0]!.nodePort).toBeUndefined();
    });

    it('keeps allocated values when an update omits them, and refuses to change the cluster IP', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(ServicesType, service('a', { type: 'NodePort' }));
      const again = service('a', { type: 'NodePort' }); // the same manifest, applied again
      again.metadata.resourceVersion = created.metadata.resourceVersion!;
      const updated = await store.update(ServicesType, again);
      expect(specOf(updated).clusterIP).toBe(specOf(created).clusterIP);
      expect(specOf(updated).ports![0]!.nodePort).toBe(specOf(created).ports![0]!.nodePort);
      const moved = service('a', { type: 'NodePort', clusterIP: '10.96.0.200', clusterIPs: ['10.96.0.200'] });
      const msg = await invalidMessage(store.update(ServicesType, moved));
      expect(msg).toContain('spec.clusterIPs[0]');
      expect(msg).toContain('may not change once set');
    });

    it('allocates node ports when a ClusterIP service turns NodePort and releases them when it turns back', async () => {
      const { store } = h();
      await createNamespace(store);
      const svc = await store.create(ServicesType, service('a'));
      const ip = specOf(svc).clusterIP;
      const np = specOf(
        await store.patch(ServicesType, { namespace: NS, name: 'a' }, { type: 'merge', body: { spec: { type: 'NodePort' } } }),
      );
      const port = np.ports![0]!.nodePort!;
      expect(inNodePortRange(port)).toBe(true);
      expect(np.clusterIP).toBe(ip);
      expect(
        await invalidMessage(store.create(ServicesType, service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }))),
      ).toContain('provided port is already allocated');
      const back = specOf(
        await store.patch(ServicesType, { namespace: NS, name: 'a' }, { type: 'merge', body: { spec: { type: 'ClusterIP' } } }),
      );
      expect(back.ports![0]!.nodePort).toBeUndefined();
      expect(back.clusterIP).toBe(ip);
      const b = await store.create(ServicesType, service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
      expect(specOf(b).ports![0]!.nodePort).toBe(port);
    });

    it('releases the cluster IP of a service turning ExternalName and allocates one when it turns back', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ServicesType, service('a', { clusterIP: '10.96.0.50' }));
      const ext = specOf(
        await store.patch(
          ServicesType,
          { namespace: NS, name: 'a' },
          { type: 'merge', body: { spec: { type: 'ExternalName', externalName: 'example.com' } } },
        ),
      );
      expect(ext.clusterIP).toBeUndefined();
      expect(specOf(await store.create(ServicesType, service('b', { clusterIP: '10.96.0.50' }))).clusterIP).toBe('10.96.0.50');
      const back = specOf(
        await store.patch(
          ServicesType,
          { namespace: NS, name: 'a' },
          { type: 'merge', body: { spec: { type: 'ClusterIP', externalName: null } } },
        ),
      );
      expect(inServiceCIDR(back.clusterIP)).toBe(true);
      expect(back.clusterIP).not.toBe('10.96.0.50');
    });

    it('releases the IP and node ports of a deleted service', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = service('a', {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        clusterIP: '10.96.0.20',
        healthCheckNodePort: 30100,
        ports: [{ port: 80, nodePort: 30090 }],
      });
      await store.create(ServicesType, body);
      await store.delete(ServicesType, { namespace: NS, name: 'a' });
      const again = specOf(await store.create(ServicesType, { ...body, metadata: { name: 'b', namespace: NS } }));
      expect(again.clusterIP).toBe('10.96.0.20');
      expect(again.ports![0]!.nodePort).toBe(30090);
      expect(again.healthCheckNodePort).toBe(30100);
    });

    it('claims nothing for a dry run or a create that fails', async () => {
      const { store } = h();
      await createNamespace(store);
      const dry = await store.create(
        ServicesType,
        service('a', { clusterIP: '10.96.0.30', type: 'NodePort', ports: [{ port: 80, nodePort: 30030 }] }),
        { dryRun: true },
      );
      expect(specOf(dry).clusterIP).toBe('10.96.0.30');
      await store.create(ServicesType, service('a', { clusterIP: '10.96.0.31' }));
      const err = await statusErrorOf(
        store.create(ServicesType, service('a', { clusterIP: '10.96.0.32', type: 'NodePort', ports: [{ port: 80, nodePort: 30032 }] })),
      );
      expect(err.reason).toBe('AlreadyExists');
      const b = specOf(
        await store.create(
          ServicesType,
          service('b', { clusterIP: '10.96.0.30', type: 'NodePort', ports: [{ port: 80, nodePort: 30030 }] }),
        ),
      );
      expect(b.clusterIP).toBe('10.96.0.30');
      const c = specOf(
        await store.create(
          ServicesType,
          service('c', { clusterIP: '10.96.0.32', type: 'NodePort', ports: [{ port: 80, nodePort: 30032 }] }),
        ),
      );
      expect(c.ports![0]!.nodePort).toBe(30032);
    });

    it('stays consistent across stores sharing the storage and across a restart', async (ctx) => {
      const harness = h();
      if (!harness.openPeer) return ctx.skip();
      const { store } = harness;
      await createNamespace(store);
      const mine = specOf(
        await store.create(
          ServicesType,
          service('a', { type: 'NodePort', clusterIP: '10.96.0.40', ports: [{ port: 80, nodePort: 30040 }] }),
        ),
      );
      const peer: ObjectStore = await harness.openPeer();
      expect(await invalidMessage(peer.create(ServicesType, service('b', { clusterIP: '10.96.0.40' })))).toContain(
        'provided IP is already allocated',
      );
      expect(
        await invalidMessage(peer.create(ServicesType, service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30040 }] }))),
      ).toContain('provided port is already allocated');
      const ips = new Set([mine.clusterIP]);
      const ports = new Set([mine.ports![0]!.nodePort]);
      for (let i = 0; i < 8; i++) {
        const [x, y] = await Promise.all([
          store.create(ServicesType, service(`x${i}`, { type: 'NodePort' })),
          peer.create(ServicesType, service(`y${i}`, { type: 'NodePort' })),
        ]);
        for (const s of [specOf(x), specOf(y)]) {
          expect(ips.has(s.clusterIP), s.clusterIP).toBe(false);
          expect(ports.has(s.ports![0]!.nodePort), String(s.ports![0]!.nodePort)).toBe(false);
          ips.add(s.clusterIP);
          ports.add(s.ports![0]!.nodePort);
        }
      }
      await peer.delete(ServicesType, { namespace: NS, name: 'a' });
      const reused = specOf(
        await store.create(
          ServicesType,
          service('d', { type: 'NodePort', clusterIP: '10.96.0.40', ports: [{ port: 80, nodePort: 30040 }] }),
        ),
      );
      expect(reused.clusterIP).toBe('10.96.0.40');
    });
  });
}
