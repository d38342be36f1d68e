import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  EventRecorder,
  isConflict,
  isNotFound,
  LoggerToken,
  mutable,
  ObjectStoreToken,
  type Clock,
  type DeleteOptions,
  type KubeObject,
  type Logger,
  type ObjectStore,
  type OwnerReference,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type ResourceType,
  type Result,
  type Source,
} from '@converge/core';
import { inject } from 'inversify';
import type { KindDiscovery } from '../discovery/kind-discovery.js';
import { KindDiscoveryToken } from '../discovery/tokens.js';
import type { SourceProvider } from '../controller-manager/source-provider.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './gc-finalizers.js';
import { GraphMonitor } from './graph-monitor.js';
import { OwnerGraph, type GraphNode, type NodeIdentity } from './owner-graph.js';

/** The reason of the Event recorded on a dependent whose owner reference crosses namespaces (or scopes). */
export const OWNER_REF_INVALID_NAMESPACE = 'OwnerRefInvalidNamespace';

/** How each owner reference of a dependent was judged. */
interface Classified {
  /** Owners that exist and are not waiting for their dependents. */
  solid: OwnerReference[];
  /** Owners that do not exist (or exist under another uid, or in another namespace). */
  dangling: OwnerReference[];
  /** Owners being deleted in the foreground. */
  waiting: OwnerReference[];
}

/**
 * The garbage collector: deletes objects whose owners are gone, and carries out the
 * propagation policy of deleted owners, for every kind the cluster serves (built-in and
 * custom; kinds that appear later join without a restart).
 *
 * Requests are keyed by uid: a `GraphMonitor` keeps the owner → dependents graph from one
 * metadata-only informer per kind and enqueues the nodes each change concerns. A reconcile
 * reads the object live (never trusting the graph to decide a deletion) and:
 * - an owner known only through references (virtual) is looked up; when absent, its
 *   dependents are processed;
 * - an owner being deleted with the `orphan` finalizer has the references to it removed
 *   from its dependents, then loses the finalizer;
 * - an owner being deleted with the `foregroundDeletion` finalizer loses it once no
 *   dependent with `blockOwnerDeletion: true` is left;
 * - a dependent with owners still there keeps them and drops references to absent owners
 *   or owners being deleted in the foreground; with none left it is deleted (in the
 *   foreground when an owner waits for it and it has dependents of its own, else with the
 *   policy its own finalizers say, by default in the background), conditioned on its uid.
 *
 * A namespaced owner must live in its dependent's namespace: a reference to one elsewhere
 * counts as absent and gets a `OwnerRefInvalidNamespace` warning Event on the dependent; a
 * cluster-scoped dependent naming a namespaced kind is left alone with the same Event.
 * Events (core and events.k8s.io) are not followed.
 *
 * `@Controller({ name: 'garbage-collector', maxConcurrentReconciles: 20 })` with the graph
 * monitor as its source (see `SourceProvider`).
 */
@Controller({ name: 'garbage-collector', maxConcurrentReconciles: 20 })
export class GarbageCollector implements Reconciler, SourceProvider {
  /** The owner → dependents graph. */
  readonly graph = new OwnerGraph();
  /** The informers of every kind, feeding the graph. */
  readonly monitor: GraphMonitor;
  private readonly absent = new AbsentOwnerCache();
  private readonly events: EventRecorder;

  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) clock: Clock,
    @inject(LoggerToken) logger: Logger,
    @inject(KindDiscoveryToken) discovery: KindDiscovery,
  ) {
    this.monitor = new GraphMonitor({ store, clock, logger, discovery, graph: this.graph });
    this.events = new EventRecorder({ store, component: 'garbage-collector-controller', clock, logger });
  }

  sources(): readonly Source[] {
    return [this.monitor];
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const node = this.graph.get(request.name);
    if (!node) return;
    if (node.virtual) return this.verifyVirtual(node);
    const type = node.type!;
    const latest = await this.getLatest(type, node.identity, node.uid);
    if (!latest) {
      // Gone (or replaced by another object of the same name) before its informer said so.
      this.monitor.enqueue(this.graph.remove(node.uid).attempt);
      return;
    }
    const m = latest.metadata;
    if (m.deletionTimestamp) {
      const finalizers = m.finalizers ?? [];
      if (finalizers.includes(ORPHAN_FINALIZER)) return this.orphanDependents(node, type, latest, ctx);
      if (finalizers.includes(FOREGROUND_FINALIZER)) return this.finishForeground(node, type, latest, ctx);
      return;
    }
    const refs = m.ownerReferences ?? [];
    if (refs.length === 0) return;
    const classified = await this.classify(latest, refs);
    if (!classified) return;
    const { solid, dangling, waiting } = classified;
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      ctx.log.debug({ uid: node.uid, dropped: [...drop] }, 'removing references to absent owners and owners waiting for dependents');
      await this.rewrite(type, latest, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
      });
      return;
    }
    if (waiting.length > 0 && node.dependents.size > 0) {
      // Delete in the foreground, so the owners waiting on this object wait on its dependents too.
      if ([...node.dependents].some((d) => d.deletingDependents) && refs.some((r) => r.blockOwnerDeletion === true)) {
        // A dependent is itself waiting on this object: stop blocking the owners (a cycle would wait forever).
        await this.rewrite(type, latest, (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).map((r) =>
            r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r,
          );
        });
      }
      await this.deleteObject(type, latest, 'Foreground', ctx);
      return;
    }
    const finalizers = m.finalizers ?? [];
    const policy = finalizers.includes(ORPHAN_FINALIZER)
      ? 'Orphan'
      : finalizers.includes(FOREGROUND_FINALIZER)
        ? 'Foreground'
        : 'Background';
    await this.deleteObject(type, latest, policy, ctx);
  }

  /** An owner known only through references: when it does not exist, its dependents are processed. */
  private async verifyVirtual(node: GraphNode): Promise<void> {
    const type = this.monitor.kinds().resolve(node.identity.apiVersion, node.identity.kind);
    if (!type)
      throw new Error(
        `cannot look up owner ${node.identity.apiVersion}/${node.identity.kind} ${node.identity.name}: the kind is not served`,
      );
    if (type.namespaced && !node.identity.namespace) {
      const namespaced = [...node.dependents].find((d) => d.identity.namespace);
      if (!namespaced) {
        // Only cluster-scoped objects name it: unresolvable; they get an Event when processed.
        this.monitor.enqueue([...node.dependents].map((d) => d.uid));
        return;
      }
      node.identity = { ...node.identity, namespace: namespaced.identity.namespace! };
    }
    const found = await this.getLatest(type, node.identity, node.uid);
    if (found) return; // it exists: its informer will report it
    this.absent.add(node.uid, type.namespaced ? (node.identity.namespace ?? '') : '');
    this.monitor.enqueue(this.graph.remove(node.uid).attempt);
  }

  /** The object as the API has it now, or undefined when it is gone or has another uid. */
  private async getLatest(type: ResourceType, identity: NodeIdentity, uid: string): Promise<KubeObject | undefined> {
    const key = type.namespaced ? { namespace: identity.namespace ?? '', name: identity.name } : { name: identity.name };
    try {
      const obj = await this.store.get(type, key);
      return obj.metadata.uid === uid ? obj : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Sorts a dependent's owner references; undefined when one cannot be resolved and the dependent is to be left alone. */
  private async classify(dependent: KubeObject, refs: readonly OwnerReference[]): Promise<Classified | undefined> {
    const out: Classified = { solid: [], dangling: [], waiting: [] };
    const namespace = dependent.metadata.namespace ?? '';
    for (const ref of refs) {
      const type = this.monitor.kinds().resolve(ref.apiVersion, ref.kind);
      if (!type) throw new Error(`cannot look up owner ${ref.apiVersion}/${ref.kind} ${ref.name}: the kind is not served`);
      if (type.namespaced && !namespace) {
        this.events.warning(
          dependent,
          OWNER_REF_INVALID_NAMESPACE,
          `ownerRef [${ref.apiVersion}/${ref.kind}, name: ${ref.name}, uid: ${ref.uid}] is namespaced, which a cluster-scoped object cannot have as owner`,
        );
        return undefined;
      }
      const ownerNamespace = type.namespaced ? namespace : '';
      let owner: KubeObject | undefined;
      if (!this.absent.has(ref.uid, ownerNamespace)) {
        owner = await this.getLatest(
          type,
          { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace: ownerNamespace },
          ref.uid,
        );
        if (!owner) this.absent.add(ref.uid, ownerNamespace);
      }
      if (!owner) {
        const elsewhere = this.graph.get(ref.uid);
        if (type.namespaced && elsewhere && !elsewhere.virtual && elsewhere.identity.namespace !== namespace) {
          this.events.warning(
            dependent,
            OWNER_REF_INVALID_NAMESPACE,
            `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${namespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${namespace}"`,
          );
        }
        out.dangling.push(ref);
      } else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) {
        out.waiting.push(ref);
      } else {
        out.solid.push(ref);
      }
    }
    return out;
  }

  /** Foreground deletion: the owner loses its finalizer once no blocking dependent is left. */
  private async finishForeground(node: GraphNode, type: ResourceType, owner: KubeObject, ctx: ReconcileContext): Promise<void> {
    const blocking = this.graph.blockingDependents(node, 1);
    if (blocking.length > 0) return; // each blocking dependent's removal enqueues this owner again
    ctx.log.debug({ uid: node.uid }, 'no blocking dependents left: removing the foregroundDeletion finalizer');
    await this.rewrite(type, owner, (o) => {
      o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER);
    });
  }

  /** Orphan deletion: removes the references to the owner from every dependent, then the owner's finalizer. */
  private async orphanDependents(node: GraphNode, type: ResourceType, owner: KubeObject, ctx: ReconcileContext): Promise<void> {
    const failures: string[] = [];
    for (const dep of [...node.dependents]) {
      try {
        const latest = await this.getLatest(dep.type!, dep.identity, dep.uid);
        if (!latest || !(latest.metadata.ownerReferences ?? []).some((r) => r.uid === node.uid)) continue;
        await this.rewrite(dep.type!, latest, (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== node.uid);
        });
      } catch (err) {
        failures.push(
          `${dep.identity.kind} ${dep.identity.namespace ? `${dep.identity.namespace}/` : ''}${dep.identity.name}: ${(err as Error).message}`,
        );
      }
    }
    if (failures.length > 0)
      throw new Error(`orphaning the dependents of ${node.identity.kind} ${node.identity.name} failed: ${failures.join('; ')}`);
    ctx.log.debug({ uid: node.uid }, 'dependents orphaned: removing the orphan finalizer');
    await this.rewrite(type, owner, (o) => {
      o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== ORPHAN_FINALIZER);
    });
  }

  /** Writes a changed copy of `obj` (conditional on its resourceVersion); a vanished object is fine. */
  private async rewrite(type: ResourceType, obj: KubeObject, change: (o: KubeObject) => void): Promise<void> {
    const next = mutable(obj);
    change(next);
    if (next.metadata.ownerReferences?.length === 0) delete next.metadata.ownerReferences;
    if (next.metadata.finalizers?.length === 0) delete next.metadata.finalizers;
    try {
      await this.store.update(type, next);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err; // a Conflict is retried with the object read again
    }
  }

  private async deleteObject(
    type: ResourceType,
    obj: KubeObject,
    policy: NonNullable<DeleteOptions['propagationPolicy']>,
    ctx: ReconcileContext,
  ): Promise<void> {
    const m = obj.metadata;
    const key = type.namespaced ? { namespace: m.namespace ?? '', name: m.name ?? '' } : { name: m.name ?? '' };
    ctx.log.debug({ kind: type.kind, ...key, policy }, 'deleting an object whose owners are gone');
    try {
      await this.store.delete(type, key, { propagationPolicy: policy, preconditions: { uid: m.uid ?? '' } });
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) return; // another object of that name now: not ours to delete
      throw err;
    }
  }
}
