/**
 * The `kubernetes` Service in `default`, through which pods reach the API servers, and its
 * endpoints: ClusterIP `10.96.0.1` (the first address of the service range, which the
 * registry's allocator reserves for it), port 443 named `https` forwarding to the API servers'
 * port, an Endpoints object (labelled `endpointslice.kubernetes.io/skip-mirror`) and an
 * EndpointSlice (labelled `kubernetes.io/service-name`) listing every live API server. Created at
 * start, then kept: recreated when deleted, put back when changed (the Service's ports and type;
 * the endpoints' addresses and ports), as Kubernetes' control plane keeps them.
 *
 * Several API servers may share one store: each announces itself in a peer directory (in etcd,
 * a record on a kept-alive etcd lease, as Kubernetes' lease endpoint reconciler keeps
 * `/masterleases/<ip>`), and every server computes the same objects from the live records,
 * sorted, writing only when the stored object differs: two servers never fight, and idle ones
 * write nothing. A server that stops withdraws its record; one that dies loses it when its
 * lease expires; either way the others drop it from the endpoints.
 *
 * Servers of one cluster are meant to share one port, each with its own advertise address. With
 * different ports, the Endpoints list every server (one subset per port) while the Service and
 * the EndpointSlice use the lowest port and the servers on it.
 *
 * The cluster IP cannot change once set: a stored Service with another one keeps it (a warning
 * is logged).
 */
import { randomBytes } from 'node:crypto';
import { sleep, type Clock, type KubeObject, type ObjectStore, type ResourceDefinition, type Logger } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { LocalPeerDirectory, type PeerAnnouncement, type PeerDirectory, type PeerRecord } from '@converge/store';
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
  /** Where the cluster's API servers announce themselves (default: a directory of this server alone). */
  peers?: PeerDirectory;
  /** How long this server's record outlives it if it dies without withdrawing it, in seconds (default 15). */
  leaseSeconds?: number;
  /** This server's id in the directory (default: `apiserver-<random>`). */
  id?: string;
}

/** What the three objects say, computed from the live servers. */
interface Wanted {
  /** The Service's target port and the EndpointSlice's port: the lowest port of a live server. */
  port: number;
  /** The Endpoints' subsets: one per port, addresses sorted. */
  subsets: { addresses: { ip: string }[]; ports: ServicePort[] }[];
  /** The EndpointSlice's address type and addresses (the servers on `port` of that family, sorted). */
  addressType: 'IPv4' | 'IPv6';
  sliceAddresses: string[];
}

/** The default time a dead server stays in the endpoints, in seconds (Kubernetes' master lease TTL is 15 s). */
export const DEFAULT_APISERVER_LEASE_SECONDS = 15;

/** Computes what the `kubernetes` objects say from the live servers: the same answer on every server. */
export function wantedEndpoints(records: readonly PeerRecord[], self: { address: string; port: number }): Wanted {
  const live = records.length > 0 ? records : [{ id: '', ...self }];
  const byPort = new Map<number, Set<string>>();
  for (const r of live) {
    if (!byPort.has(r.port)) byPort.set(r.port, new Set());
    byPort.get(r.port)!.add(r.address);
  }
  const ports = [...byPort.keys()].sort((a, b) => a - b);
  const port = ports[0]!;
  const sorted = (set: Set<string>) => [...set].sort();
  const subsets = ports.map((p) => ({
    addresses: sorted(byPort.get(p)!).map((ip) => ({ ip })),
    ports: [{ name: 'https', port: p, protocol: 'TCP' }],
  }));
  const onPort = sorted(byPort.get(port)!);
  const addressType = onPort.some((a) => isIP(a) !== 6) ? 'IPv4' : 'IPv6';
  const sliceAddresses = onPort.filter((a) => (isIP(a) === 6 ? 'IPv6' : 'IPv4') === addressType);
  return { port, subsets, addressType, sliceAddresses };
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
  private readonly peers: PeerDirectory;
  private readonly ownsPeers: boolean;
  private readonly self: PeerRecord;
  private announcement: PeerAnnouncement | undefined;
  private unwatchPeers: (() => void) | undefined;
  /** Serializes resyncs: one runs at a time, and a request during one runs once after it. */
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;

  constructor(private readonly o: KubernetesServiceOptions) {
    this.ownsPeers = !o.peers;
    this.peers = o.peers ?? new LocalPeerDirectory();
    this.self = { id: o.id ?? `apiserver-${randomBytes(6).toString('hex')}`, address: o.address, port: o.port };
  }

  /** This server's record in the peer directory. */
  get record(): PeerRecord {
    return this.self;
  }

  /** The three objects and what each should be, given the live servers. */
  private kept(wanted: Wanted): { def: ResourceDefinition; spec: KeptObjectSpec }[] {
    const out: { def: ResourceDefinition; spec: KeptObjectSpec }[] = [];
    const c = this.o.catalog;
    const services = c.get({ group: '', version: 'v1', resource: 'services' });
    const endpoints = c.get({ group: '', version: 'v1', resource: 'endpoints' });
    const slices = c.get({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
    if (services) out.push({ def: services, spec: this.serviceSpec(wanted) });
    if (endpoints) out.push({ def: endpoints, spec: this.endpointsSpec(wanted) });
    if (slices) out.push({ def: slices, spec: this.sliceSpec(wanted) });
    return out;
  }

  private meta(labels: Record<string, string>): KubeObject['metadata'] {
    return { name: KUBERNETES_SERVICE_NAME, namespace: KUBERNETES_SERVICE_NAMESPACE, labels };
  }

  private serviceSpec(wanted: Wanted): KeptObjectSpec {
    const clusterIP = this.o.clusterIP ?? KUBERNETES_SERVICE_IP;
    const ports: ServicePort[] = [{ name: 'https', port: KUBERNETES_SERVICE_PORT, protocol: 'TCP', targetPort: wanted.port }];
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
        if (spec.clusterIP && spec.clusterIP !== clusterIP)
          this.o.logger.warn(
            { clusterIP: spec.clusterIP, wanted: clusterIP },
            'the kubernetes service keeps the cluster IP it was stored with',
          );
        if (spec.type === 'ClusterIP' && portsKey(spec.ports) === portsKey(ports)) return undefined;
        spec.type = 'ClusterIP';
        spec.ports = structuredClone(ports);
        current['spec'] = spec;
        return current;
      },
    };
  }

  private endpointsSpec(wanted: Wanted): KeptObjectSpec {
    const subsets = () => structuredClone(wanted.subsets);
    const key = (v: unknown) =>
      JSON.stringify(
        (Array.isArray(v) ? (v as { addresses?: { ip?: string }[]; notReadyAddresses?: unknown[]; ports?: ServicePort[] }[]) : []).map(
          (s) => [(s.addresses ?? []).map((a) => a.ip), (s.notReadyAddresses ?? []).length, portsKey(s.ports)],
        ),
      );
    return {
      desired: () => ({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: this.meta({ 'endpointslice.kubernetes.io/skip-mirror': 'true' }),
        subsets: subsets(),
      }),
      repair: (current) => {
        if (key(current['subsets']) === key(wanted.subsets)) return undefined;
        current['subsets'] = subsets();
        return current;
      },
    };
  }

  private sliceSpec(wanted: Wanted): KeptObjectSpec {
    const { addressType } = wanted;
    const endpoints = () => wanted.sliceAddresses.map((a) => ({ addresses: [a], conditions: { ready: true } }));
    const ports = (): ServicePort[] => [{ name: 'https', port: wanted.port, protocol: 'TCP' }];
    const key = (v: unknown) =>
      JSON.stringify(
        (Array.isArray(v) ? (v as { addresses?: string[]; conditions?: { ready?: boolean } }[]) : []).map((e) => [
          e.addresses ?? [],
          e.conditions?.ready ?? null,
        ]),
      );
    return {
      desired: () => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: this.meta({ 'kubernetes.io/service-name': KUBERNETES_SERVICE_NAME }),
        addressType,
        endpoints: endpoints(),
        ports: ports(),
      }),
      repair: (current) => {
        if (current['addressType'] !== addressType) {
          this.o.logger.warn(
            { addressType: current['addressType'], wanted: addressType },
            'the kubernetes endpoint slice keeps its address type',
          );
          return undefined;
        }
        if (key(current['endpoints']) === key(endpoints()) && portsKey(current['ports']) === portsKey(ports())) return undefined;
        current['endpoints'] = endpoints();
        current['ports'] = ports();
        return current;
      },
    };
  }

  /** What the objects should say now: from the directory's live servers. */
  private async wanted(): Promise<Wanted> {
    const records = await this.peers.list();
    return wantedEndpoints(records, this.self);
  }

  /** Puts one object right, from the directory as it is now. */
  private async keepOne(resource: string): Promise<void> {
    const key = { namespace: KUBERNETES_SERVICE_NAMESPACE, name: KUBERNETES_SERVICE_NAME };
    const one = this.kept(await this.wanted()).find((k) => k.def.resource === resource);
    if (one) await keepObject(this.o.store, one.def, key, one.spec);
  }

  /** Puts the three objects right, from the directory as it is now (serialized; see `resyncing`). */
  private resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    const run = async (): Promise<void> => {
      do {
        this.resyncAgain = false;
        if (this.stopped) return;
        const key = { namespace: KUBERNETES_SERVICE_NAMESPACE, name: KUBERNETES_SERVICE_NAME };
        for (const { def, spec } of this.kept(await this.wanted())) await keepObject(this.o.store, def, key, spec);
      } while (this.resyncAgain);
    };
    this.resyncing = run().finally(() => {
      this.resyncing = undefined;
    });
    return this.resyncing;
  }

  /**
   * Announces this server, creates or puts right the three objects, then follows them and the
   * directory. An object the store refuses is logged and tried again every few seconds; the
   * server starts anyway.
   */
  async start(): Promise<void> {
    this.announcement = await this.peers.announce(this.self, { ttlSeconds: this.o.leaseSeconds ?? DEFAULT_APISERVER_LEASE_SECONDS });
    const key = { namespace: KUBERNETES_SERVICE_NAMESPACE, name: KUBERNETES_SERVICE_NAME };
    const kept = this.kept(await this.wanted());
    for (const { def, spec } of kept) {
      try {
        await keepObject(this.o.store, def, key, spec);
      } catch (err) {
        this.o.logger.error(
          { err: String(err) },
          `cannot create ${def.resource} ${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}; retrying`,
        );
        void this.retry(def.resource);
      }
    }
    this.unwatchPeers = this.peers.watch(() => {
      this.resync().catch((err: unknown) =>
        this.o.logger.warn({ err: String(err) }, 'kubernetes endpoints: resync after a change of API servers failed'),
      );
    });
    this.loops = kept.map(
      ({ def }) =>
        new WatchLoop({
          store: this.o.store,
          def,
          watch: { namespace: KUBERNETES_SERVICE_NAMESPACE, fieldSelector: `metadata.name=${KUBERNETES_SERVICE_NAME}` },
          clock: this.o.clock,
          logger: this.o.logger,
          what: `${def.resource} ${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}`,
          onEvent: async (ev) => {
            if (ev.type === 'DELETED' || ev.type === 'MODIFIED') await this.keepOne(def.resource);
          },
          onRestart: () => this.keepOne(def.resource),
        }),
    );
    for (const l of this.loops) l.start();
  }

  /** Stops following the objects (they stay) and withdraws this server from the directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatchPeers?.();
    this.unwatchPeers = undefined;
    for (const l of this.loops) l.stop();
    this.loops = [];
    const announcement = this.announcement;
    this.announcement = undefined;
    await announcement
      ?.withdraw()
      .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, 'cannot withdraw this API server from the peer directory'));
    if (this.ownsPeers) await this.peers.close();
  }

  private async retry(resource: string): Promise<void> {
    while (!this.stopped) {
      await sleep(this.o.clock, 5000);
      if (this.stopped) return;
      try {
        await this.keepOne(resource);
        return;
      } catch {
        // still refused: try again
      }
    }
  }
}
