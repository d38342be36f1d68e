import { internalError, invalid, type Clock, type KubeObject, type Service, type StatusCause } from '@converge/core';
import type { Backend } from '../backend/backend.js';
import { ClaimSet, ownedBy, type ClaimOwner } from './allocation-claims.js';
import { NodePortRange, ServiceIPRange } from './allocation-range.js';

type Spec = NonNullable<Service['spec']>;
type Port = NonNullable<Spec['ports']>[number];

/** Options of a ServiceAllocator. */
export interface ServiceAllocatorOptions {
  backend: Backend;
  /** The root of the storage keys (`/registry`): claims live under `<root>/ranges/`. */
  root: string;
  clock: Clock;
  random: () => number;
  /** The service CIDR, as `--service-cluster-ip-range` (IPv4). */
  serviceClusterIPRange: string;
  /** The node port range, as `--service-node-port-range`. */
  serviceNodePortRange: string;
}

/** What a Service write allocated: undo it when the write fails, finish it (release what the Service gave up) when it succeeds. */
export interface AllocationTxn {
  /** Releases what this write claimed (the write failed). */
  revert(): Promise<void>;
  /** Releases what the Service no longer holds (the write succeeded). */
  commit(): Promise<void>;
}

/** What `ServiceAllocator.repair` changed. */
export interface RepairReport {
  /** Claims removed because no Service holds them (`ip:10.96.0.12`, `port:30080`). */
  released: string[];
  /** Claims made for Services holding an item nobody had claimed. */
  restored: string[];
}

/** A claim younger than this is never removed by repair: its Service may be on its way to storage. */
export const REPAIR_GRACE_MS = 60_000;

const IPV4 = 'IPv4';

function needsClusterIP(s: Spec): boolean {
  return s.type !== 'ExternalName';
}

function needsNodePorts(s: Spec): boolean {
  return s.type === 'NodePort' || s.type === 'LoadBalancer';
}

function needsHealthCheckPort(s: Spec): boolean {
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

function shouldAllocateNodePorts(s: Spec): boolean {
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
}

function isHeadless(s: Spec): boolean {
  return s.clusterIP === 'None' || s.clusterIPs?.[0] === 'None';
}

/** `[]string{"10.96.0.10"}`: a list of strings as Go's `%#v` prints it in Kubernetes' messages. */
function goStrings(values: readonly string[] | undefined): string {
  return `[]string{${(values ?? []).map((v) => JSON.stringify(v)).join(', ')}}`;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function cause(field: string, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', message, field };
}

/**
 * Allocates what the Service REST storage of Kubernetes 1.32 allocates on a write: the IP
 * family fields, cluster IPs from the service CIDR, node ports for NodePort and LoadBalancer
 * Services and the health check node port of a LoadBalancer with `externalTrafficPolicy:
 * Local`; it releases them when a Service gives them up or is deleted.
 *
 * Allocation state lives in the backend, one claim key per allocated IP or port
 * (`<root>/ranges/serviceips/10.96.0.10`, `<root>/ranges/servicenodeports/30080`), created with
 * the backend's atomic create-if-absent. Several registries sharing one etcd therefore never
 * hand out the same IP or port, and a restarted registry knows every allocation. A claim is
 * made before the Service is written and released if the write fails; an item a Service gives
 * up is released after the write succeeds. A crash between the two steps can leave a claim
 * without a Service (or, after a delete, a claim of a deleted Service); `repair` removes those
 * once they are older than `REPAIR_GRACE_MS`, and restores missing claims of stored Services.
 */
export class ServiceAllocator {
  /** The service CIDR. */
  readonly ips: ServiceIPRange;
  /** The node port range. */
  readonly ports: NodePortRange;
  private readonly ipClaims: ClaimSet;
  private readonly portClaims: ClaimSet;

  constructor(private readonly o: ServiceAllocatorOptions) {
    this.ips = new ServiceIPRange(o.serviceClusterIPRange);
    this.ports = new NodePortRange(o.serviceNodePortRange);
    const common = { backend: o.backend, clock: o.clock, random: o.random };
    this.ipClaims = new ClaimSet({ ...common, prefix: `${o.root}/ranges/serviceips/`, kind: 'ServiceIPClaim' });
    this.portClaims = new ClaimSet({ ...common, prefix: `${o.root}/ranges/servicenodeports/`, kind: 'ServiceNodePortClaim' });
  }

  /** Allocates for a Service about to be created (changing `svc` in place); throws Invalid or InternalError. */
  async allocateCreate(svc: KubeObject, dryRun: boolean): Promise<AllocationTxn> {
    const op = new Operation(this, ownerOf(svc), dryRun, svc.metadata.name ?? '');
    try {
      const spec = specOf(svc);
      this.initIPFamilies(spec, undefined, op.name);
      if (needsClusterIP(spec) && !isHeadless(spec)) await op.allocateClusterIP(spec);
      if (needsNodePorts(spec)) await op.initNodePorts(spec);
      if (needsHealthCheckPort(spec)) await op.allocateHealthCheckPort(spec);
    } catch (err) {
      await op.revert();
      throw err;
    }
    return op;
  }

  /**
   * Allocates for an update of a Service from `old` to `svc` (changing `svc` in place): type
   * changes allocate or give up cluster IPs and node ports; returns undefined when nothing
   * is allocated or released.
   */
  async allocateUpdate(svc: KubeObject, old: KubeObject, dryRun: boolean): Promise<AllocationTxn | undefined> {
    const spec = specOf(svc);
    const before = specOf(old);
    const op = new Operation(this, ownerOf(old), dryRun, svc.metadata.name ?? '');
    try {
      this.initIPFamilies(spec, before, op.name);
      if (before.type === 'ExternalName' && needsClusterIP(spec)) {
        if (!isHeadless(spec)) await op.allocateClusterIP(spec);
      } else if (!isHeadless(before)) {
        if (needsClusterIP(before) && !needsClusterIP(spec))
          op.releaseLater('ip', before.clusterIPs ?? (before.clusterIP ? [before.clusterIP] : []));
        else if (needsClusterIP(spec) && !spec.clusterIP && !before.clusterIP && !isHeadless(spec)) await op.allocateClusterIP(spec); // stored before allocation existed
      }
      const oldPorts = nodePortsOf(before);
      if (needsNodePorts(before) && !needsNodePorts(spec)) op.releaseLater('port', oldPorts.map(String));
      if (needsNodePorts(spec)) await op.updateNodePorts(spec, oldPorts);
      await op.updateHealthCheckPort(spec, before);
    } catch (err) {
      await op.revert();
      throw err;
    }
    return op.empty() ? undefined : op;
  }

  /** Releases everything a Service held (it was deleted). */
  async releaseAll(svc: KubeObject): Promise<void> {
    const spec = specOf(svc);
    const owner = ownerOf(svc);
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []))
      if (this.ips.indexOf(ip) >= 0) await this.ipClaims.release(ip, owner);
    for (const p of heldPortsOf(spec)) await this.portClaims.release(String(p), owner);
  }

  /**
   * Makes the claims match the stored Services: removes claims no Service holds (older than
   * `REPAIR_GRACE_MS`) and claims what stored Services hold but nobody claimed.
   */
  async repair(services: readonly KubeObject[]): Promise<RepairReport> {
    const report: RepairReport = { released: [], restored: [] };
    const heldIPs = new Map<string, ClaimOwner>();
    const heldPorts = new Map<string, ClaimOwner>();
    for (const svc of services) {
      const spec = specOf(svc);
      const owner = ownerOf(svc);
      if (needsClusterIP(spec))
        for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (this.ips.indexOf(ip) >= 0) heldIPs.set(ip, owner);
      for (const p of heldPortsOf(spec)) if (this.ports.indexOf(p) >= 0) heldPorts.set(String(p), owner);
    }
    const now = this.o.clock.now();
    for (const [set, held, tag] of [
      [this.ipClaims, heldIPs, 'ip'],
      [this.portClaims, heldPorts, 'port'],
    ] as const) {
      const seen = new Set<string>();
      for (const claim of await set.list()) {
        const name = claim.key.slice(set.key('').length);
        const holder = held.get(name);
        if (holder && ownedBy(claim.object, holder)) {
          seen.add(name);
          continue;
        }
        const age = now - Number((claim.object as { claimedAt?: unknown }).claimedAt ?? 0);
        if (age < REPAIR_GRACE_MS) {
          seen.add(name);
          continue;
        }
        if (await set.discard(claim)) report.released.push(`${tag}:${name}`);
        else seen.add(name);
      }
      for (const [name, owner] of held) {
        if (seen.has(name)) continue;
        if (await set.claim(name, owner)) report.restored.push(`${tag}:${name}`);
      }
    }
    return report;
  }

  /** @internal The claim set of a kind of item. */
  claims(which: 'ip' | 'port'): ClaimSet {
    return which === 'ip' ? this.ipClaims : this.portClaims;
  }

  /**
   * Sets `ipFamilyPolicy` and `ipFamilies` as Kubernetes' `initIPFamilyFields` does on a
   * single-stack IPv4 cluster, and rejects what such a cluster cannot serve.
   */
  private initIPFamilies(spec: Spec, old: Spec | undefined, name: string): void {
    if (!needsClusterIP(spec)) return;
    const selectorless = !spec.selector || Object.keys(spec.selector).length === 0;
    if (spec.ipFamilyPolicy === undefined) {
      if (old?.ipFamilyPolicy) spec.ipFamilyPolicy = old.ipFamilyPolicy;
      else spec.ipFamilyPolicy = isHeadless(spec) && selectorless ? 'RequireDualStack' : 'SingleStack';
    }
    const causes: StatusCause[] = [];
    if (old && spec.ipFamilyPolicy === 'SingleStack') {
      if (sameList(old.clusterIPs, spec.clusterIPs) && (spec.clusterIPs?.length ?? 0) > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
      if (sameList(old.ipFamilies, spec.ipFamilies) && (spec.ipFamilies?.length ?? 0) > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
    }
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if ((spec.clusterIPs?.length ?? 0) === 2)
        causes.push(
          cause(
            'spec.ipFamilyPolicy',
            `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`,
          ),
        );
      if ((spec.ipFamilies?.length ?? 0) === 2)
        causes.push(
          cause(
            'spec.ipFamilyPolicy',
            `Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`,
          ),
        );
    }
    const families = [...(spec.ipFamilies ?? [])];
    (spec.clusterIPs ?? []).some((ip, i) => {
      if (ip === 'None') return true;
      const family = ip.includes(':') ? 'IPv6' : IPV4;
      if (i >= families.length) {
        if (family !== IPV4)
          causes.push(
            cause(`spec.clusterIPs[${i}]`, `Invalid value: ${goStrings(spec.clusterIPs)}: ${family} is not configured on this cluster`),
          );
        else families.push(family);
      }
      return false;
    });
    if (causes.length > 0) throw invalid('Service', '', name, causes);
    if (isHeadless(spec) && selectorless) {
      if (families.length === 0) families.push(IPV4);
      if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === IPV4 ? 'IPv6' : IPV4);
      spec.ipFamilies = families;
      return;
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack')
      causes.push(
        cause('spec.ipFamilyPolicy', 'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'),
      );
    families.forEach((f, i) => {
      if (f !== IPV4) causes.push(cause(`spec.ipFamilies[${i}]`, `Invalid value: ${JSON.stringify(f)}: not configured on this cluster`));
    });
    if (causes.length > 0) throw invalid('Service', '', name, causes);
    spec.ipFamilies = families.length > 0 ? families : [IPV4];
  }
}

/** The claims and releases of one Service write. */
class Operation implements AllocationTxn {
  private readonly claimed: { which: 'ip' | 'port'; name: string }[] = [];
  private readonly toRelease: { which: 'ip' | 'port'; name: string }[] = [];

  constructor(
    private readonly a: ServiceAllocator,
    private readonly owner: ClaimOwner,
    private readonly dryRun: boolean,
    readonly name: string,
  ) {}

  empty(): boolean {
    return this.claimed.length === 0 && this.toRelease.length === 0;
  }

  releaseLater(which: 'ip' | 'port', names: readonly string[]): void {
    for (const name of names) this.toRelease.push({ which, name });
  }

  async revert(): Promise<void> {
    if (this.dryRun) return;
    for (const c of this.claimed.splice(0)) await this.a.claims(c.which).release(c.name, this.owner);
  }

  async commit(): Promise<void> {
    this.claimed.length = 0;
    if (this.dryRun) return;
    for (const c of this.toRelease.splice(0)) {
      if (c.which === 'ip' && this.a.ips.indexOf(c.name) < 0) continue;
      await this.a.claims(c.which).release(c.name, this.owner);
    }
  }

  /** Allocates the cluster IP: the requested one, or the next free one. */
  async allocateClusterIP(spec: Spec): Promise<void> {
    const requested = spec.clusterIPs?.[0] ?? spec.clusterIP ?? '';
    const ips = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : requested ? [requested] : [];
    let ip = requested;
    if (!ip) {
      const next = await this.a.claims('ip').claimNext(this.a.ips, this.owner, this.dryRun);
      if (next === undefined) throw internalError('failed to allocate a serviceIP: range is full');
      if (!this.dryRun) this.claimed.push({ which: 'ip', name: next });
      ip = next;
    } else {
      const fail = (why: string) =>
        invalid('Service', '', this.name, [
          cause('spec.clusterIPs', `Invalid value: ${goStrings(ips)}: failed to allocate IP ${ip}: ${why}`),
        ]);
      if (this.a.ips.indexOf(ip) < 0)
        throw fail(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.a.ips.cidr}`);
      if (!(await this.claim('ip', ip))) throw fail('provided IP is already allocated');
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip, ...(spec.clusterIPs ?? []).slice(1)];
  }

  /** Node ports of a Service being created, as Kubernetes' `initNodePorts`: ports with the same number share one node port. */
  async initNodePorts(spec: Spec): Promise<void> {
    const ports = spec.ports ?? [];
    const byServicePort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]!;
      if (!p.nodePort && !shouldAllocateNodePorts(spec)) continue;
      const shared = byServicePort.get(p.port);
      if (shared === undefined) {
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort;
        const np = requested ? await this.claimPort(requested, i) : await this.nextPort();
        p.nodePort = np;
        byServicePort.set(p.port, np);
      } else if (p.nodePort !== shared) {
        if (!p.nodePort) p.nodePort = shared;
        else await this.claimPort(p.nodePort, i);
      }
    }
  }

  /** Node ports of a Service being updated, as Kubernetes' `updateNodePorts`. */
  async updateNodePorts(spec: Spec, oldPorts: readonly number[]): Promise<void> {
    const claimedHere = new Set<number>();
    const ports = spec.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const p: Port = ports[i]!;
      if (!p.nodePort && !shouldAllocateNodePorts(spec)) continue;
      if (p.nodePort) {
        if (!oldPorts.includes(p.nodePort) && !claimedHere.has(p.nodePort)) {
          await this.claimPort(p.nodePort, i);
          claimedHere.add(p.nodePort);
        }
      } else {
        p.nodePort = await this.nextPort();
      }
    }
    const now = new Set(ports.map((p) => p.nodePort).filter((n): n is number => !!n));
    this.releaseLater('port', oldPorts.filter((n) => !now.has(n)).map(String));
  }

  /** The health check node port of a Service being created. */
  async allocateHealthCheckPort(spec: Spec): Promise<void> {
    const requested = spec.healthCheckNodePort;
    if (requested) {
      if (this.a.ports.indexOf(requested) < 0)
        throw internalError(
          `failed to allocate requested HealthCheck NodePort ${requested}: provided port is not in the valid range. The range of valid ports is ${this.a.ports.text}`,
        );
      if (!(await this.claim('port', String(requested))))
        throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: provided port is already allocated`);
    } else {
      spec.healthCheckNodePort = await this.nextPort();
    }
  }

  /** The health check node port across an update: allocated when newly needed, released when no longer needed or changed. */
  async updateHealthCheckPort(spec: Spec, before: Spec): Promise<void> {
    const needed = needsHealthCheckPort(before);
    const needs = needsHealthCheckPort(spec);
    if (!needed && needs) return this.allocateHealthCheckPort(spec);
    if (needed && !needs) {
      if (before.healthCheckNodePort) this.releaseLater('port', [String(before.healthCheckNodePort)]);
      return;
    }
    if (needed && needs) {
      if (!spec.healthCheckNodePort) spec.healthCheckNodePort = before.healthCheckNodePort;
      else if (spec.healthCheckNodePort !== before.healthCheckNodePort) {
        await this.allocateHealthCheckPort(spec);
        if (before.healthCheckNodePort) this.releaseLater('port', [String(before.healthCheckNodePort)]);
      }
    }
  }

  private async claim(which: 'ip' | 'port', name: string): Promise<boolean> {
    const set = this.a.claims(which);
    if (this.dryRun) return !(await set.isTaken(name));
    if (!(await set.claim(name, this.owner))) return false;
    this.claimed.push({ which, name });
    return true;
  }

  private async claimPort(port: number, index: number): Promise<number> {
    const fail = (why: string) =>
      invalid('Service', '', this.name, [cause(`spec.ports[${index}].nodePort`, `Invalid value: ${port}: ${why}`)]);
    if (this.a.ports.indexOf(port) < 0)
      throw fail(`provided port is not in the valid range. The range of valid ports is ${this.a.ports.text}`);
    if (!(await this.claim('port', String(port)))) throw fail('provided port is already allocated');
    return port;
  }

  private async nextPort(): Promise<number> {
    const next = await this.a.claims('port').claimNext(this.a.ports, this.owner, this.dryRun);
    if (next === undefined) throw internalError('failed to allocate a nodePort: range is full');
    if (!this.dryRun) this.claimed.push({ which: 'port', name: next });
    return Number(next);
  }
}

function specOf(svc: KubeObject): Spec {
  if (typeof svc.spec !== 'object' || svc.spec === null) svc.spec = {};
  return svc.spec as Spec;
}

function ownerOf(svc: KubeObject): ClaimOwner {
  return { namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '' };
}

function nodePortsOf(spec: Spec): number[] {
  const out: number[] = [];
  for (const p of spec.ports ?? []) if (p.nodePort && !out.includes(p.nodePort)) out.push(p.nodePort);
  return out;
}

/** The node ports a stored Service holds: its ports' node ports and its health check node port. */
function heldPortsOf(spec: Spec): number[] {
  const out = needsNodePorts(spec) ? nodePortsOf(spec) : [];
  if (spec.healthCheckNodePort && needsHealthCheckPort(spec) && !out.includes(spec.healthCheckNodePort)) out.push(spec.healthCheckNodePort);
  return out;
}
