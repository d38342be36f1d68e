import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  isNotFound,
  mutable,
  Namespaces,
  ObjectStoreToken,
  patchStatus,
  setCondition,
  type Clock,
  type KubeObject,
  type Namespace,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
  type StatusCondition,
} from '@converge/core';
import { inject } from 'inversify';
import type { DiscoveredKind, KindDiscovery } from '../discovery/kind-discovery.js';
import { KindDiscoveryToken } from '../discovery/tokens.js';
import { namespaceConditions, type ContentReport } from './namespace-conditions.js';

/** The `spec.finalizers` entry that keeps a Namespace until the namespace controller has emptied it. */
export const KUBERNETES_NAMESPACE_FINALIZER = 'kubernetes';

/** Seconds Kubernetes estimates a finalizer needs; a namespace with content left is looked at again after half of it (plus one). */
const FINALIZER_ESTIMATE_SECONDS = 15;

/** The kinds a namespace's content is made of: every namespaced kind that can be listed and deleted, once per stored collection. */
export function namespacedContentKinds(kinds: readonly DiscoveredKind[]): DiscoveredKind[] {
  return kinds.filter(
    (k) => k.preferred && k.namespaced && k.verbs.includes('list') && (k.verbs.includes('delete') || k.verbs.includes('deletecollection')),
  );
}

/**
 * The namespace controller: empties a deleted (Terminating) namespace and then lets it go.
 *
 * For a namespace with `deletionTimestamp` whose `spec.finalizers` still hold `kubernetes`,
 * each reconcile deletes the content of every namespaced kind discovery reports (custom
 * resources included; `deletecollection` where served, else one delete per object, with
 * background propagation as Kubernetes' namespace deleter), lists
 * what is left, and records Kubernetes' conditions (`NamespaceDeletionDiscoveryFailure`,
 * `NamespaceDeletionGroupVersionParsingFailure`, `NamespaceDeletionContentFailure`,
 * `NamespaceContentRemaining`, `NamespaceFinalizersRemaining`). Objects kept by finalizers
 * (or Pods in their grace period) are waited for: the namespace is reconciled again after
 * `estimate / 2 + 1` seconds, as Kubernetes does. Once nothing is left the `kubernetes`
 * finalizer is removed through the `namespaces/finalize` subresource, and the namespace goes.
 *
 * A failure to delete or list some kind, or to discover some group, is recorded in the
 * conditions and retried with back-off; the namespace is not finalized meanwhile.
 *
 * `@Controller({ name: 'namespace', for: Namespaces, maxConcurrentReconciles: 10 })`.
 */
@Controller({ name: 'namespace', for: Namespaces, maxConcurrentReconciles: 10 })
export class NamespaceController implements Reconciler {
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(KindDiscoveryToken) private readonly discovery: KindDiscovery,
  ) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    let ns: Namespace;
    try {
      ns = await this.store.get(Namespaces, { name: request.name });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata.deletionTimestamp) return;
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(KUBERNETES_NAMESPACE_FINALIZER)) return;

    // Without discovery there is no telling what the namespace holds: never finalize blind.
    if (!this.discovery.synced()) throw new Error('the kinds the cluster serves are not discovered yet');
    const { report, estimateSeconds } = await this.deleteContent(request.name);
    ns = await this.writeConditions(ns, namespaceConditions(report));
    if (report.deletionFailures.length > 0) {
      throw new Error(`deleting the content of namespace ${request.name} failed: ${report.deletionFailures.join('; ')}`);
    }
    if (report.discoveryFailures.length > 0) {
      throw new Error(`not finalizing namespace ${request.name}: discovery failed for some groups: ${report.discoveryFailures.join('; ')}`);
    }
    if (report.remaining.size > 0) {
      ctx.log.debug({ namespace: request.name, remaining: Object.fromEntries(report.remaining) }, 'content remains; looking again later');
      return { requeueAfter: (Math.floor(estimateSeconds / 2) + 1) * 1000 };
    }
    const next = mutable(ns);
    next.spec = { ...next.spec, finalizers: finalizers.filter((f) => f !== KUBERNETES_NAMESPACE_FINALIZER) };
    try {
      await this.store.update(Namespaces, next, { subresource: 'finalize' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  /** Deletes every namespaced kind's objects in the namespace, then counts what is left. */
  private async deleteContent(namespace: string): Promise<{ report: ContentReport; estimateSeconds: number }> {
    const deletionFailures: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    let estimateSeconds = 0;
    for (const kind of namespacedContentKinds(this.discovery.kinds())) {
      const label = `${kind.resource}.${kind.group}`;
      let left: readonly KubeObject[];
      try {
        if (kind.verbs.includes('deletecollection')) {
          await this.store.deleteCollection(kind, { namespace, propagationPolicy: 'Background' });
        } else {
          for (const obj of (await this.store.list(kind, { namespace })).items) {
            if (obj.metadata.deletionTimestamp) continue;
            await this.store
              .delete(kind, { namespace, name: obj.metadata.name ?? '' }, { propagationPolicy: 'Background' })
              .catch((err: unknown) => {
                if (!isNotFound(err)) throw err;
              });
          }
        }
        left = (await this.store.list(kind, { namespace })).items;
      } catch (err) {
        deletionFailures.push(`${label}: ${(err as Error).message}`);
        continue;
      }
      if (left.length === 0) continue;
      remaining.set(label, left.length);
      estimateSeconds = Math.max(estimateSeconds, FINALIZER_ESTIMATE_SECONDS);
      for (const obj of left) {
        for (const f of obj.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        const grace = obj.metadata.deletionGracePeriodSeconds ?? 0;
        if (kind.group === '' && kind.resource === 'pods') estimateSeconds = Math.max(estimateSeconds, grace);
      }
    }
    return { report: { discoveryFailures: this.discovery.failures(), deletionFailures, remaining, finalizers }, estimateSeconds };
  }

  /** Records the conditions in the namespace's status (no write when nothing changed). */
  private async writeConditions(ns: Namespace, conditions: StatusCondition[]): Promise<Namespace> {
    const status = mutable(ns.status ?? {}) as NonNullable<Namespace['status']> & { conditions?: StatusCondition[] };
    const list: StatusCondition[] = (status.conditions ??= []);
    for (const c of conditions) setCondition(list, c, this.clock);
    try {
      return await patchStatus(this.store, Namespaces, ns, status);
    } catch (err) {
      if (isNotFound(err)) return ns;
      throw err;
    }
  }
}
