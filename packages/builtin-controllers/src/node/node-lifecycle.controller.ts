import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  enqueueMapped,
  EventRecorder,
  findCondition,
  isNotFound,
  Leases,
  LoggerToken,
  mutable,
  Nodes,
  ObjectStoreToken,
  patchFrom,
  patchStatus,
  Pods,
  rfc3339,
  setCondition,
  type Clock,
  type KubeObject,
  type Lease,
  type Logger,
  type Node,
  type ObjectStore,
  type Reconciler,
  type Request,
  type Result,
  type StatusCondition,
} from '@converge/core';
import { inject, optional } from 'inversify';
import { NodeHealthTable } from './node-health.js';
import { NODE_LEASE_NAMESPACE, NodeLifecycleOptionsToken, type NodeLifecycleOptions } from './node-lifecycle-options.js';
import {
  CONDITION_TAINTS,
  CONTROLLER_NO_SCHEDULE_KEYS,
  sameTaint,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  type NodeTaint,
} from './node-taints.js';
import { ensurePodNodeNameIndex, podsOnNode } from './pods-by-node.js';
import { ZoneDisruption, zoneOf } from './zone-disruption.js';

/** The node conditions set to Unknown when a kubelet stops posting status (Kubernetes' list). */
export const KUBELET_CONDITIONS: readonly string[] = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * Kubernetes' node lifecycle controller (`node-lifecycle-controller`): notices nodes whose
 * kubelet went silent and taints nodes by their conditions, so the scheduler avoids them and
 * the taint eviction controller moves their pods.
 *
 * - **Health.** A node is heard from when its Lease in `kube-node-lease` is renewed or its
 *   Ready condition's heartbeat changes (timed on this controller's clock). Silent for longer
 *   than `nodeMonitorGracePeriodMs` (40 s; a node that never posted Ready gets
 *   `nodeStartupGracePeriodMs`, 60 s, from its creation), its Ready, MemoryPressure,
 *   DiskPressure and PIDPressure conditions become `Unknown` with reason `NodeStatusUnknown`
 *   and message "Kubelet stopped posting node status." (`NodeStatusNeverUpdated` for a
 *   condition never posted). When it was Ready, a `NodeNotReady` event is recorded and the
 *   Ready condition of its pods is set to False (with a `NodeNotReady` event on each).
 * - **NoSchedule taints** follow the conditions: Ready=False → `node.kubernetes.io/not-ready`,
 *   Ready=Unknown → `node.kubernetes.io/unreachable`, Memory/Disk/PIDPressure and
 *   NetworkUnavailable True → their pressure taints, and `spec.unschedulable` →
 *   `node.kubernetes.io/unschedulable`. Taints it added that no longer apply are removed.
 * - **NoExecute taints** (`not-ready` or `unreachable`, by the Ready condition, with
 *   `timeAdded`) are added at `nodeEvictionRate` nodes per second per zone (0.1: one node
 *   every 10 s; slower or not at all in a partially disrupted zone), swapped at once when the
 *   condition changes between False and Unknown, and removed as soon as the node is Ready.
 *   When no node of the cluster is ready, the fault is taken to be the control plane's: no
 *   NoExecute taint is added and existing ones are removed, as Kubernetes does.
 *
 * Every node is looked at again when its grace period would run out (`requeueAfter`, on the
 * injected Clock), and every `nodeMonitorPeriodMs` (5 s) while it is not ready.
 *
 * `@Controller({ name: 'node-lifecycle-controller', for: Nodes, watches: [Leases in kube-node-lease → their node] })`.
 */
@Controller({
  name: 'node-lifecycle-controller',
  for: Nodes,
  watches: [
    {
      type: Leases,
      handler: enqueueMapped<Lease>((l) => (l.metadata.namespace === NODE_LEASE_NAMESPACE ? { name: l.metadata.name! } : undefined)),
    },
  ],
})
export class NodeLifecycleController implements Reconciler {
  /** The Events it records (`RegisteredNode`, `RemovingNode`, `NodeNotReady`). */
  readonly events: EventRecorder;
  /** What it knows of each node's zone and readiness. */
  readonly zones: ZoneDisruption;
  private readonly health = new NodeHealthTable();
  /** Nodes whose pods are still to be marked not ready (kept until that succeeds, as Kubernetes retries it). */
  private readonly podsToMark = new Set<string>();
  private readonly graceMs: number;
  private readonly startupGraceMs: number;
  private readonly monitorPeriodMs: number;

  /** Takes the store (the cached client under a Manager), the clock and the options. */
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(NodeLifecycleOptionsToken) @optional() options: NodeLifecycleOptions = {},
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.graceMs = options.nodeMonitorGracePeriodMs ?? 40_000;
    this.startupGraceMs = options.nodeStartupGracePeriodMs ?? 60_000;
    this.monitorPeriodMs = options.nodeMonitorPeriodMs ?? 5_000;
    this.zones = new ZoneDisruption(options);
    this.events = new EventRecorder({ store, component: 'node-controller', clock, ...(logger ? { logger } : {}) });
    ensurePodNodeNameIndex(store);
  }

  /** Looks at one node: its health, its conditions, its taints; returns when to look again. */
  async reconcile(request: Request): Promise<Result | void> {
    const name = request.name;
    let node: Node;
    try {
      node = await this.store.get(Nodes, { name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.zones.forget(name);
      this.podsToMark.delete(name);
      const gone = this.health.forget(name);
      if (gone) this.nodeEvent({ name, uid: gone.uid }, 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      return;
    }
    const now = this.clock.now();
    if (!this.health.has(name)) this.nodeEvent(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    const lease = await this.leaseOf(name);
    const health = this.health.observe(node, lease, now);
    const grace = findCondition(node.status?.conditions, 'Ready') ? this.graceMs : this.startupGraceMs;
    const deadline = health.probeTimestamp + grace;

    if (now >= deadline) node = await this.markUnknown(node, now);
    const ready = findCondition(node.status?.conditions, 'Ready');
    if (this.podsToMark.has(name)) {
      if (ready?.status !== 'True') await this.markPodsNotReady(name, now);
      this.podsToMark.delete(name);
    }
    this.zones.observe(name, zoneOf(node), ready?.status === 'True');
    const waitMs = await this.writeTaints(node, ready?.status, now);

    if (ready?.status === 'True' && now < deadline) return { requeueAfter: deadline - now };
    return { requeueAfter: Math.max(1, Math.min(waitMs, this.monitorPeriodMs, now < deadline ? deadline - now : Infinity)) };
  }

  private async leaseOf(name: string): Promise<Lease | undefined> {
    try {
      return await this.store.get(Leases, { namespace: NODE_LEASE_NAMESPACE, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Sets the kubelet's conditions to Unknown (a silent kubelet); records NodeNotReady and marks its pods not ready when it was Ready. */
  private async markUnknown(node: Node, now: number): Promise<Node> {
    const status = mutable(node.status ?? {});
    const conditions = (status.conditions ?? []) as StatusCondition[];
    const wasReady = findCondition(conditions, 'Ready')?.status === 'True';
    const ts = rfc3339(now);
    for (const type of KUBELET_CONDITIONS) {
      const c = findCondition(conditions, type);
      if (!c) {
        conditions.push({
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata.creationTimestamp ?? ts,
          lastTransitionTime: ts,
        });
      } else if (c.status !== 'Unknown') {
        setCondition(
          conditions,
          { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts },
          now,
        );
      }
    }
    status.conditions = conditions as typeof status.conditions;
    let updated: Node;
    try {
      // optimistic: a kubelet posting Ready meanwhile wins, and this look is retried
      updated = await patchStatus(this.store, Nodes, node, status, { optimistic: true });
    } catch (err) {
      if (isNotFound(err)) return node;
      throw err;
    }
    if (wasReady && updated !== node) {
      const name = node.metadata.name!;
      this.nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.podsToMark.add(name); // done by the caller, and again on the next look if it fails
    }
    return updated;
  }

  /** Sets the Ready condition of the node's pods to False, as Kubernetes' `MarkPodsNotReady`. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of await podsOnNode(this.store, nodeName)) {
      if (pod.spec?.nodeName !== nodeName || pod.metadata.deletionTimestamp) continue;
      const ready = findCondition(pod.status?.conditions, 'Ready');
      if (!ready || ready.status === 'False') continue;
      const status = mutable(pod.status ?? {});
      const conditions = (status.conditions ?? []) as StatusCondition[];
      setCondition(conditions, { ...ready, status: 'False', lastTransitionTime: rfc3339(now) }, now);
      status.conditions = conditions as typeof status.conditions;
      try {
        await patchStatus(this.store, Pods, pod, status);
        this.events.warning(pod, 'NodeNotReady', 'Node is not ready', { type: Pods });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /**
   * Brings the node's controller-owned taints in line with its conditions (see the class
   * comment); returns the ms until a NoExecute taint the zone's rate held back may be added
   * (Infinity when none waits).
   */
  private async writeTaints(node: Node, ready: string | undefined, now: number): Promise<number> {
    const current = node.spec?.taints ?? [];
    const ts = rfc3339(now);
    const conditions = node.status?.conditions ?? [];
    const wantNoSchedule = new Set<string>();
    for (const m of CONDITION_TAINTS) if (findCondition(conditions, m.type)?.status === m.status) wantNoSchedule.add(m.key);
    if (node.spec?.unschedulable) wantNoSchedule.add(TAINT_NODE_UNSCHEDULABLE);
    let next: NodeTaint[] = current.filter(
      (t) => !(t.effect === 'NoSchedule' && CONTROLLER_NO_SCHEDULE_KEYS.has(t.key) && !wantNoSchedule.has(t.key)),
    );
    for (const key of wantNoSchedule)
      if (!next.some((t) => sameTaint(t, { key, effect: 'NoSchedule' }))) next.push({ key, effect: 'NoSchedule', timeAdded: ts });

    let waitMs = Infinity;
    const has = (key: string) => next.some((t) => sameTaint(t, { key, effect: 'NoExecute' }));
    const without = (key: string) => next.filter((t) => !sameTaint(t, { key, effect: 'NoExecute' }));
    const want = ready === 'True' ? undefined : ready === 'False' ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE;
    if (want === undefined || this.zones.allFullyDisrupted()) {
      next = without(TAINT_NODE_NOT_READY);
      next = without(TAINT_NODE_UNREACHABLE);
    } else {
      const other = want === TAINT_NODE_NOT_READY ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
      if (!has(want)) {
        // a swap between not-ready and unreachable is not rate limited; a new taint is
        const allowed = has(other) ? { ok: true as const } : this.zones.tryTaint(zoneOf(node), now);
        if (allowed.ok) {
          next = without(other);
          next.push({ key: want, effect: 'NoExecute', timeAdded: ts });
        } else waitMs = allowed.waitMs;
      } else if (has(other)) next = without(other);
    }
    if (sameTaints(current, next)) return waitMs;
    const modified = mutable(node);
    modified.spec = { ...modified.spec, taints: next };
    if (next.length === 0) delete modified.spec.taints;
    try {
      await patchFrom(this.store, Nodes, node, modified, { optimistic: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return waitMs;
  }

  private nodeEvent(node: Node | { name: string; uid: string | undefined }, reason: string, message: string): void {
    const obj: KubeObject =
      'metadata' in node ? node : { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, ...(node.uid ? { uid: node.uid } : {}) } };
    this.events.normal(obj, reason, message, { type: Nodes });
  }
}

function sameTaints(a: readonly NodeTaint[], b: readonly NodeTaint[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => t.key === b[i]!.key && t.effect === b[i]!.effect && t.value === b[i]!.value && t.timeAdded === b[i]!.timeAdded);
}
