import { describe, expect, it } from 'vitest';
import { createLogger, Namespaces, Services, StatusError, type KubeObject, type Service } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend } from '../backend/memory.backend.js';
import { REPAIR_GRACE_MS } from './service-allocator.js';
import { Registry, type RegistryOptions } from './registry.js';

const NS = 'default';

function svc(name: string, spec: NonNullable<Service['spec']> = {}): Service {
  return { metadata: { name, namespace: NS }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

async function setup(options: Partial<RegistryOptions> = {}) {
  const clock = new VirtualClock();
  const backend = new MemoryBackend();
  const registry = new Registry({ backend, catalog: createBuiltinCatalog(), clock, serviceAllocationRepairIntervalMs: 0, ...options });
  await registry.create(Namespaces, { metadata: { name: NS } });
  return { clock, backend, registry };
}

async function errorOf(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('service allocation in the registry', () => {
  it('draws from the configured service CIDR and node port range, and says when they are full', async () => {
    const { registry } = await setup({ serviceClusterIPRange: '10.0.0.0/29', serviceNodePortRange: '31000-31002' });
    const ips = [];
    for (let i = 0; i < 5; i++) ips.push((await registry.create(Services, svc(`s${i}`))).spec!.clusterIP);
    expect(ips.sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    const full = await errorOf(registry.create(Services, svc('s5')));
    expect([full.code, full.message]).toEqual([500, 'Internal error occurred: failed to allocate a serviceIP: range is full']);
    // The first address is only given on request; the network and broadcast addresses never.
    expect((await registry.create(Services, svc('kubernetes', { clusterIP: '10.0.0.1' }))).spec!.clusterIP).toBe('10.0.0.1');
    expect((await errorOf(registry.create(Services, svc('b', { clusterIP: '10.0.0.7' })))).message).toContain(
      'the provided IP (10.0.0.7) is not in the valid range. The range of valid IPs is 10.0.0.0/29',
    );

    await registry.delete(Services, { namespace: NS, name: 's0' });
    await registry.delete(Services, { namespace: NS, name: 's1' });
    const ports = [];
    for (const name of ['n0', 'n1', 'n2'])
      ports.push((await registry.create(Services, svc(name, { type: 'NodePort', clusterIP: 'None' }))).spec!.ports![0]!.nodePort);
    expect(ports.sort()).toEqual([31000, 31001, 31002]);
    expect((await errorOf(registry.create(Services, svc('n3', { type: 'NodePort', clusterIP: 'None' })))).message).toBe(
      'Internal error occurred: failed to allocate a nodePort: range is full',
    );
    expect(
      (await errorOf(registry.create(Services, svc('n4', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80, nodePort: 30000 }] }))))
        .message,
    ).toContain(
      'spec.ports[0].nodePort: Invalid value: 30000: provided port is not in the valid range. The range of valid ports is 31000-31002',
    );
    await registry.close();
  });

  it('refuses malformed ranges when the registry is made', () => {
    expect(
      () => new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog(), serviceClusterIPRange: '10.96.0.0/33' }),
    ).toThrow(/invalid service cluster IP range/);
    expect(
      () => new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog(), serviceNodePortRange: '32767-30000' }),
    ).toThrow(/invalid service node port range/);
  });

  it('keeps one claim key per allocated address and port in the backend', async () => {
    const { registry, backend } = await setup();
    const s = await registry.create(
      Services,
      svc('a', { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }),
    );
    const ipClaim = backend.peek('/registry/ranges/serviceips/10.96.0.10')?.object as KubeObject & { owner: { uid: string; name: string } };
    expect(ipClaim.owner).toMatchObject({ namespace: NS, name: 'a', uid: s.metadata.uid });
    expect(backend.peek('/registry/ranges/servicenodeports/30080')).toBeDefined();
    await registry.delete(Services, { namespace: NS, name: 'a' });
    expect(backend.peek('/registry/ranges/serviceips/10.96.0.10')).toBeUndefined();
    expect(backend.peek('/registry/ranges/servicenodeports/30080')).toBeUndefined();
    await registry.close();
  });

  it('repairs claims a crash left behind, once they are old enough, and restores missing ones', async () => {
    const { registry, backend, clock } = await setup();
    await registry.create(Services, svc('a', { clusterIP: '10.96.0.10' }));
    // A crash after claiming for a Service that was never written ...
    await registry.serviceAllocator().claims('ip').claim('10.96.0.99', { namespace: NS, name: 'ghost', uid: 'u-ghost' });
    // ... and a claim lost for a stored Service.
    const lost = backend.peek('/registry/ranges/serviceips/10.96.0.10')!;
    await backend.delete(lost.key, lost.revision);

    expect(await registry.repairServiceAllocations()).toEqual({ released: [], restored: ['ip:10.96.0.10'] });
    expect((await errorOf(registry.create(Services, svc('b', { clusterIP: '10.96.0.10' })))).message).toContain(
      'provided IP is already allocated',
    );
    expect((await errorOf(registry.create(Services, svc('c', { clusterIP: '10.96.0.99' })))).message).toContain(
      'provided IP is already allocated',
    );

    await clock.advance(REPAIR_GRACE_MS);
    expect(await registry.repairServiceAllocations()).toEqual({ released: ['ip:10.96.0.99'], restored: [] });
    expect((await registry.create(Services, svc('c', { clusterIP: '10.96.0.99' }))).spec!.clusterIP).toBe('10.96.0.99');
    await registry.close();
  });

  it('runs the repair after the first Service write and then every interval', async () => {
    const { registry, clock, backend } = await setup({ serviceAllocationRepairIntervalMs: 180_000 });
    await registry.serviceAllocator().claims('port').claim('30123', { namespace: NS, name: 'ghost', uid: 'u-ghost' });
    await registry.create(Services, svc('a'));
    await clock.advance(REPAIR_GRACE_MS);
    // Each interval starts a repair (unless one still runs); the stale claim goes within a few.
    const deadline = Date.now() + 5000;
    while (backend.peek('/registry/ranges/servicenodeports/30123') && Date.now() < deadline) await clock.advance(180_000);
    expect(
      (await registry.create(Services, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30123 }] }))).spec!.ports![0]!.nodePort,
    ).toBe(30123);
    await registry.close();
  });

  it('keeps a claim when a same-named Service from another registry fails to be created', async () => {
    const { registry } = await setup();
    await registry.create(Services, svc('a', { clusterIP: '10.96.0.10' }));
    // A second create of the same name cannot release the first one's claims: they carry its uid.
    expect((await errorOf(registry.create(Services, svc('a', { clusterIP: '10.96.0.11' })))).reason).toBe('AlreadyExists');
    expect((await errorOf(registry.create(Services, svc('b', { clusterIP: '10.96.0.10' })))).message).toContain(
      'provided IP is already allocated',
    );
    expect((await registry.create(Services, svc('b', { clusterIP: '10.96.0.11' }))).spec!.clusterIP).toBe('10.96.0.11');
    await registry.close();
  });

  it('logs a failed repair through the registry logger instead of dropping it, and repairs again at the next interval', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const { registry, clock, backend } = await setup({ serviceAllocationRepairIntervalMs: 180_000, logger });
    await registry.create(Services, svc('a'));
    const list = backend.list.bind(backend);
    backend.list = () => Promise.reject(new Error('backend unavailable'));
    await clock.advance(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'service allocations: repair failed; retrying at the next interval',
        err: expect.objectContaining({ message: 'backend unavailable' }),
      }),
    );
    backend.list = list;
    const failures = lines.length;
    await clock.advance(180_000);
    expect(lines.length).toBe(failures);
    await registry.close();
  });
});
