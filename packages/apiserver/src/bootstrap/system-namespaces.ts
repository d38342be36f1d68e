/**
 * What every cluster has from its first start: the namespaces `default`, `kube-system`,
 * `kube-public` and `kube-node-lease`, and a `default` ServiceAccount in every namespace
 * (kept by a small reconciler that follows namespaces and recreates a deleted `default`).
 */
import {
  hasReason,
  isAlreadyExists,
  isNotFound,
  sleep,
  type Clock,
  type KubeObject,
  type ObjectStore,
  type ResourceCatalog,
  type ResourceDefinition,
} from '@converge/core';
import type { Subscription } from 'rxjs';
import type { ApiServerLogger } from '../observability/logger.js';

/** The namespaces created at start. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };

/** Creates the system namespaces that are missing. */
export async function ensureSystemNamespaces(store: ObjectStore, catalog: ResourceCatalog): Promise<void> {
  const def = catalog.get(NAMESPACES);
  if (!def) return;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await store.create(def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

/** Options of the DefaultServiceAccountReconciler. */
export interface DefaultServiceAccountOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: ApiServerLogger;
}

/** Keeps a `default` ServiceAccount in every active namespace. */
export class DefaultServiceAccountReconciler {
  private subs: Subscription[] = [];
  private stopped = false;

  constructor(private readonly o: DefaultServiceAccountOptions) {}

  /** Creates the missing ServiceAccounts of existing namespaces, then follows changes. */
  async start(): Promise<void> {
    const nsDef = this.o.catalog.get(NAMESPACES);
    const saDef = this.o.catalog.get(SERVICE_ACCOUNTS);
    if (!nsDef || !saDef) return;
    const list = await this.o.store.list(nsDef);
    for (const ns of list.items) await this.ensure(saDef, ns);
    this.followNamespaces(nsDef, saDef, list.metadata.resourceVersion);
    this.followServiceAccounts(nsDef, saDef);
  }

  /** Stops following changes. */
  stop(): void {
    this.stopped = true;
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  private async ensure(saDef: ResourceDefinition, ns: KubeObject): Promise<void> {
    const namespace = ns.metadata.name;
    if (!namespace || ns.metadata.deletionTimestamp) return;
    if ((ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating') return;
    try {
      await this.o.store.get(saDef, { namespace, name: 'default' });
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await this.o.store.create(saDef, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
    } catch (err) {
      // AlreadyExists: someone else made it; NotFound/Forbidden: the namespace went away meanwhile.
      if (!isAlreadyExists(err) && !isNotFound(err) && !hasReason(err, 'Forbidden')) throw err;
    }
  }

  private followNamespaces(nsDef: ResourceDefinition, saDef: ResourceDefinition, rv: string | undefined): void {
    if (this.stopped) return;
    const sub = this.o.store.watch(nsDef, rv ? { resourceVersion: rv } : {}).subscribe({
      next: (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') void this.ensure(saDef, ev.object).catch((err) => this.o.logger.warn({ err: String(err) }, 'default service account'));
      },
      error: () => void this.restart(() => this.resyncNamespaces(nsDef, saDef)),
      complete: () => void this.restart(() => this.resyncNamespaces(nsDef, saDef)),
    });
    this.subs.push(sub);
  }

  private async resyncNamespaces(nsDef: ResourceDefinition, saDef: ResourceDefinition): Promise<void> {
    const list = await this.o.store.list(nsDef);
    for (const ns of list.items) await this.ensure(saDef, ns);
    this.followNamespaces(nsDef, saDef, list.metadata.resourceVersion);
  }

  private followServiceAccounts(nsDef: ResourceDefinition, saDef: ResourceDefinition): void {
    if (this.stopped) return;
    const sub = this.o.store.watch(saDef, { fieldSelector: 'metadata.name=default' }).subscribe({
      next: (ev) => {
        if (ev.type !== 'DELETED' || !ev.object.metadata.namespace) return;
        const namespace = ev.object.metadata.namespace;
        void this.o.store
          .get(nsDef, { name: namespace })
          .then((ns) => this.ensure(saDef, ns))
          .catch(() => undefined);
      },
      error: () => void this.restart(async () => this.followServiceAccounts(nsDef, saDef)),
      complete: () => void this.restart(async () => this.followServiceAccounts(nsDef, saDef)),
    });
    this.subs.push(sub);
  }

  private async restart(fn: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    await sleep(this.o.clock, 1000);
    if (this.stopped) return;
    try {
      await fn();
    } catch {
      void this.restart(fn);
    }
  }
}
