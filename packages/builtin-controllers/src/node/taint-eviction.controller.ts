import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  enqueueMapped,
  EventRecorder,
  findCondition,
  isConflict,
  isNotFound,
  LoggerToken,
  mutable,
  Nodes,
  objectKey,
  ObjectStoreToken,
  patchStatus,
  Pods,
  rfc3339,
  setCondition,
  type Clock,
  type Logger,
  type Node,
  type ObjectStore,
  type Pod,
  type Reconciler,
  type Request,
  type Result,
  type StatusCondition,
} from '@converge/core';
import { inject, optional } from 'inversify';
import { matchingToleration, taintsWithEffect, type NodeTaint } from './node-taints.js';
import { ensurePodNodeNameIndex, podsOnNode } from './pods-by-node.js';

/** What becomes of one pod on a node with NoExecute taints. */
export type EvictionVerdict =
  /** It tolerates every NoExecute taint for ever. */
  | { kind: 'keep' }
  /** It does not tolerate some taint, or its toleration ran out: delete it now. */
  | { kind: 'evict' }
  /** It tolerates every taint, some only until `at` (ms since the epoch). */
  | { kind: 'until'; at: number };

/**
 * When a pod on a node with these NoExecute taints must go (Kubernetes' taint manager):
 * at once when some taint has no matching toleration; else, for each taint, the first
 * toleration matching it allows `tolerationSeconds` (for ever when unset, none when ≤ 0)
 * counted from the later of the taint's `timeAdded` (or `firstSeen` without one) and the
 * time the pod was bound; the earliest of those is the pod's deadline.
 */
export function evictionVerdict(
  pod: Pod,
  taints: readonly NodeTaint[],
  options: { now: number; firstSeen: (taint: NodeTaint) => number },
): EvictionVerdict {
  let at = Infinity;
  const bound = boundAt(pod);
  for (const taint of taints) {
    const toleration = matchingToleration(pod, taint);
    if (!toleration) return { kind: 'evict' };
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    if (seconds <= 0) return { kind: 'evict' };
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    const start = Math.max(Number.isFinite(added) ? added : options.firstSeen(taint), bound);
    at = Math.min(at, start + seconds * 1000);
  }
  if (at === Infinity) return { kind: 'keep' };
  return at <= options.now ? { kind: 'evict' } : { kind: 'until', at };
}

/** When the pod was bound to its node: its PodScheduled condition's transition, else its creation. */
function boundAt(pod: Pod): number {
  const scheduled = findCondition(pod.status?.conditions, 'PodScheduled');
  const t = Date.parse((scheduled?.status === 'True' ? scheduled.lastTransitionTime : undefined) ?? pod.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
}

/**
 * Kubernetes' taint eviction controller (`taint-eviction-controller`, the taint manager):
 * deletes the pods of a node with NoExecute taints they do not tolerate.
 *
 * - A pod without a toleration for some NoExecute taint of its node is deleted at once.
 * - A pod tolerating the taints with `tolerationSeconds` is deleted once that time has passed
 *   (see `evictionVerdict`: counted from the taint's `timeAdded`, or from when the pod was
 *   bound if later); the node is looked at again then (`requeueAfter`, on the injected Clock).
 *   A taint removed before that cancels the eviction (a `TaintManagerEviction` "Cancelling
 *   deletion" event is recorded).
 * - Before deleting, the pod gets the condition `DisruptionTarget=True` with reason
 *   `DeletionByTaintManager`; the delete is graceful (the pod's own grace period) and a
 *   `TaintManagerEviction` event "Marking for deletion Pod <ns>/<name>" is recorded.
 *   Pods already being deleted are left alone. Their controllers (ReplicaSets, ...) replace them.
 *
 * Pods are found through a `spec.nodeName` index on the cached client. Pod tolerations for
 * `node.kubernetes.io/not-ready` and `unreachable` (300 s) are added at admission by the API
 * server's DefaultTolerationSeconds plugin.
 *
 * `@Controller({ name: 'taint-eviction-controller', for: Nodes, watches: [Pods → their node] })`.
 */
@Controller({
  name: 'taint-eviction-controller',
  for: Nodes,
  watches: [{ type: Pods, handler: enqueueMapped<Pod>((p) => (p.spec?.nodeName ? { name: p.spec.nodeName } : undefined)) }],
})
export class TaintEvictionController implements Reconciler {
  /** The Events it records (`TaintManagerEviction`). */
  readonly events: EventRecorder;
  /** When a taint without `timeAdded` was first seen, by node, key, value and effect. */
  private readonly firstSeen = new Map<string, number>();
  /** Pods with an eviction scheduled, by node, then by uid. */
  private readonly pending = new Map<string, Map<string, Pod>>();

  /** Takes the store (the cached client under a Manager) and the clock. */
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.events = new EventRecorder({ store, component: 'taint-eviction-controller', clock, ...(logger ? { logger } : {}) });
    ensurePodNodeNameIndex(store);
  }

  /** Evicts what must go from one node now; returns when the next toleration runs out. */
  async reconcile(request: Request): Promise<Result | void> {
    const name = request.name;
    let node: Node | undefined;
    try {
      node = await this.store.get(Nodes, { name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const taints = node ? taintsWithEffect(node, 'NoExecute') : [];
    this.rememberTaints(name, taints);
    const before = this.pending.get(name);
    if (taints.length === 0) {
      this.pending.delete(name);
      if (before) for (const pod of before.values()) if (!(await this.goneOrGoing(pod))) this.cancelled(pod);
      return;
    }
    const now = this.clock.now();
    const waiting = new Map<string, Pod>();
    let next = Infinity;
    for (const pod of await podsOnNode(this.store, name)) {
      if (pod.spec?.nodeName !== name || pod.metadata.deletionTimestamp) continue;
      const verdict = evictionVerdict(pod, taints, { now, firstSeen: (t) => this.firstSeen.get(taintKey(name, t)) ?? now });
      if (verdict.kind === 'evict') await this.evict(pod, now);
      else if (verdict.kind === 'until') {
        waiting.set(pod.metadata.uid ?? objectKeyString(pod), pod);
        next = Math.min(next, verdict.at);
      }
    }
    if (before) for (const [uid, pod] of before) if (!waiting.has(uid) && !(await this.goneOrGoing(pod))) this.cancelled(pod);
    if (waiting.size) this.pending.set(name, waiting);
    else this.pending.delete(name);
    if (next !== Infinity) return { requeueAfter: Math.max(1, next - now) };
  }

  private rememberTaints(node: string, taints: readonly NodeTaint[]): void {
    const now = this.clock.now();
    const keys = new Set(taints.filter((t) => !t.timeAdded).map((t) => taintKey(node, t)));
    for (const k of keys) if (!this.firstSeen.has(k)) this.firstSeen.set(k, now);
    const prefix = `${node}\0`;
    for (const k of this.firstSeen.keys()) if (k.startsWith(prefix) && !keys.has(k)) this.firstSeen.delete(k);
  }

  private async evict(pod: Pod, now: number): Promise<void> {
    const status = mutable(pod.status ?? {});
    const conditions = (status.conditions ?? []) as StatusCondition[];
    setCondition(
      conditions,
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: rfc3339(now),
      },
      now,
    );
    status.conditions = conditions as typeof status.conditions;
    try {
      await patchStatus(this.store, Pods, pod, status);
      await this.store.delete(Pods, objectKey(pod), { preconditions: { uid: pod.metadata.uid! } });
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return; // gone, or another pod under that name now
      throw err;
    }
    this.events.normal(pod, 'TaintManagerEviction', `Marking for deletion Pod ${objectKeyString(pod)}`, { type: Pods });
  }

  /** Whether a pod whose eviction was pending has left the node or is being deleted (no cancellation then). */
  private async goneOrGoing(pod: Pod): Promise<boolean> {
    try {
      const now = await this.store.get(Pods, objectKey(pod));
      return now.metadata.uid !== pod.metadata.uid || !!now.metadata.deletionTimestamp || now.spec?.nodeName !== pod.spec?.nodeName;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  }

  private cancelled(pod: Pod): void {
    this.events.normal(pod, 'TaintManagerEviction', `Cancelling deletion of Pod ${objectKeyString(pod)}`, { type: Pods });
  }
}

function taintKey(node: string, t: NodeTaint): string {
  return `${node}\0${t.key}\0${t.value ?? ''}\0${t.effect}`;
}

function objectKeyString(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
