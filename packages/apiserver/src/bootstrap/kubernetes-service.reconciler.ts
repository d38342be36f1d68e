/**
 * The `kubernetes` Service in `default`, through which pods reach the API server, and its
 * endpoints: ClusterIP `10.96.0.1` (the first address of the service range, which the
 * registry's allocator reserves for it), port 443 named `https` forwarding to the API server's
 * port, an Endpoints object (labelled `endpointslice.kubernetes.io/skip-mirror`) and an
 * EndpointSlice (labelled `kubernetes.io/service-name`) with the server's address. Created at
 * start, then kept: recreated when deleted, put back when changed (the Service's ports and type;
 * the endpoints' addresses and ports), as Kubernetes' control plane keeps them.
 *
 * The cluster IP cannot change once set: a stored Service with another one keeps it (a warning
 * is logged).
 */
import { sleep, type Clock, type KubeObject, type ObjectStore, type ResourceDefinition, type Logger } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { keepObject, type KeptObjectSpec } from './kept-object.js';
import { WatchLoop } from './watch-loop.js';

/** The cluster IP of the `kubernetes` Service: the first address of 10.96.0.0/12. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The name of the Service, its Endpoints and its EndpointSlice. */
export const KUBERNETES_SERVICE_NAME = 'kubernetes';
/** Their namespace. */
export const KUBERNETES_SERVICE_NAMESPACE = 'default';
/** The Service's port. */
export const KUBERNETES_SERVICE_PORT = 443;

/** Options of the KubernetesServiceReconciler. */
export interface KubernetesServiceOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: Logger;
  /** The API server's address as pods reach it (an IP). */
  address: string;
  /** The API server's port. */
  port: number;
  /** The Service's cluster IP (default 10.96.0.1). */
  clusterIP?: string;
}

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  targetPort?: number | string;
}

/**
 * The address pods use to reach a server listening on `host`: the host itself when it is a
 * specific IP, 127.0.0.1 for `localhost`, and for a wildcard (`0.0.0.0`, `::`) the machine's
 * first non-internal address of that family (IPv4 first), else loopback.
 */
export function advertiseAddressOf(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  const family = isIP(host);
  if (family !== 0 && host !== '0.0.0.0' && host !== '::') return host;
  if (family === 0) return '127.0.0.1';
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const wanted = host === '::' ? ['IPv4', 'IPv6'] : ['IPv4'];
  for (const fam of wanted) {
    const found = all.find((i) => !i.internal && i.family === fam && !i.address.startsWith('fe80:'));
    if (found) return found.address;
  }
  return host === '::' ? '::1' : '127.0.0.1';
}

function portsKey(ports: unknown): string {
  if (!Array.isArray(ports)) return '';
  return JSON.stringify((ports as ServicePort[]).map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.targetPort ?? '']));
}

/** Creates and keeps the `kubernetes` Service, Endpoints and EndpointSlice. */
export class KubernetesServiceReconciler {
  private loops: WatchLoop[] = [];
  private stopped = false;

  constructor(private readonly o: KubernetesServiceOptions) {}

  /** The three objects and what each should be. */
  private kept(): { def: ResourceDefinition; spec: KeptObjectSpec }[] {
    const out: { def: ResourceDefinition; spec: KeptObjectSpec }[] = [];
    const c = this.o.catalog;
    const services = c.get({ group: '', version: 'v1', resource: 'services' });
    const endpoints = c.get({ group: '', version: 'v1', resource: 'endpoints' });
    const slices = c.get({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    if (services) out.push({ def: services, spec: this.serviceSpec() });
    if (endpoints) out.push({ def: endpoints, spec: this.endpointsSpec() });
    if (slices) out.push({ def: slices, spec: this.sliceSpec() });
    return out;
  }

  private meta(labels: Record<string, string>): KubeObject['metadata'] {
    return { name: KUBERNETES_SERVICE_NAME, namespace: KUBERNETES_SERVICE_NAMESPACE, labels };
  }

  private serviceSpec(): KeptObjectSpec {
    const clusterIP = this.o.clusterIP ?? KUBERNETES_SERVICE_IP;
    const ports: ServicePort[] = [{ name: 'https', port: KUBERNETES_SERVICE_PORT, protocol: 'TCP', targetPort: this.o.port }];
    return {
      desired: () => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: this.meta({ component: 'apiserver', provider: 'kubernetes' }),
        spec: {
          type: 'ClusterIP',
          clusterIP,
          clusterIPs: [clusterIP],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          ports: structuredClone(ports),
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
        },
      }),
      repair: (current) => {
        const spec = (current['spec'] ?? {}) as { type?: string; ports?: ServicePort[]; clusterIP?: string };
        if (spec.clusterIP && spec.clusterIP !== clusterIP) this.o.logger.warn({ clusterIP: spec.clusterIP, wanted: clusterIP }, 'the kubernetes service keeps the cluster IP it was stored with');
        if (spec.type === 'ClusterIP' && portsKey(spec.ports) === portsKey(ports)) return undefined;
        spec.type = 'ClusterIP';
        spec.ports = structuredClone(ports);
        current['spec'] = spec;
        return current;
      },
    };
  }

  private endpointPorts(): ServicePort[] {
    return [{ name: 'https', port: this.o.port, protocol: 'TCP' }];
  }

  private endpointsSpec(): KeptObjectSpec {
    const subsets = () => [{ addresses: [{ ip: this.o.address }], ports: this.endpointPorts() }];
    const key = (v: unknown) =>
      JSON.stringify(
        (Array.isArray(v) ? (v as { addresses?: { ip?: string }[]; notReadyAddresses?: unknown[]; ports?: ServicePort[] }[]) : []).map((s) => [
          (s.addresses ?? []).map((a) => a.ip),
          (s.notReadyAddresses ?? []).length,
          portsKey(s.ports),
        ]),
      );
    return {
      desired: () => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: this.meta({ 'endpointslice.kubernetes.io/skip-mirror': 'true' }), subsets: subsets() }),
      repair: (current) => {
        if (key(current['subsets']) === key(subsets())) return undefined;
        current['subsets'] = subsets();
        return current;
      },
    };
  }

  private sliceSpec(): KeptObjectSpec {
    const addressType = isIP(this.o.address) === 6 ? 'IPv6' : 'IPv4';
    const endpoints = () => [{ addresses: [this.o.address], conditions: { ready: true } }];
    const key = (v: unknown) =>
      JSON.stringify((Array.isArray(v) ? (v as { addresses?: string[]; conditions?: { ready?: boolean } }[]) : []).map((e) => [e.addresses ?? [], e.conditions?.ready ?? null]));
    return {
      desired: () => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: this.meta({ 'kubernetes.io/service-name': KUBERNETES_SERVICE_NAME }),
        addressType,
        endpoints: endpoints(),
        ports: this.endpointPorts(),
      }),
      repair: (current) => {
        if (current['addressType'] !== addressType) {
          this.o.logger.warn({ addressType: current['addressType'], wanted: addressType }, 'the kubernetes endpoint slice keeps its address type');
          return undefined;
        }
        if (key(current['endpoints']) === key(endpoints()) && portsKey(current['ports']) === portsKey(this.endpointPorts())) return undefined;
        current['endpoints'] = endpoints();
        current['ports'] = this.endpointPorts();
        return current;
      },
    };
  }

  /**
   * Creates or puts right the three objects, then follows them. An object the store refuses is
   * logged and tried again every few seconds; the server starts anyway.
   */
  async start(): Promise<void> {
    const key = { namespace: KUBERNETES_SERVICE_NAMESPACE, name: KUBERNETES_SERVICE_NAME };
    const kept = this.kept();
    for (const { def, spec } of kept) {
      try {
        await keepObject(this.o.store, def, key, spec);
      } catch (err) {
        this.o.logger.error({ err: String(err) }, `cannot create ${def.resource} ${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}; retrying`);
        void this.retry(def, spec);
      }
    }
    this.loops = kept.map(
      ({ def, spec }) =>
        new WatchLoop({
          store: this.o.store,
          def,
          watch: { namespace: KUBERNETES_SERVICE_NAMESPACE, fieldSelector: `metadata.name=${KUBERNETES_SERVICE_NAME}` },
          clock: this.o.clock,
          logger: this.o.logger,
          what: `${def.resource} ${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}`,
          onEvent: async (ev) => {
            if (ev.type === 'DELETED' || ev.type === 'MODIFIED') await keepObject(this.o.store, def, key, spec);
          },
          onRestart: async () => {
            await keepObject(this.o.store, def, key, spec);
          },
        }),
    );
    for (const l of this.loops) l.start();
  }

  /** Stops following the objects (they stay). */
  stop(): void {
    this.stopped = true;
    for (const l of this.loops) l.stop();
    this.loops = [];
  }

  private async retry(def: ResourceDefinition, spec: KeptObjectSpec): Promise<void> {
    while (!this.stopped) {
      await sleep(this.o.clock, 5000);
      if (this.stopped) return;
      try {
        await keepObject(this.o.store, def, { namespace: KUBERNETES_SERVICE_NAMESPACE, name: KUBERNETES_SERVICE_NAME }, spec);
        return;
      } catch {
        // still refused: try again
      }
    }
  }
}
