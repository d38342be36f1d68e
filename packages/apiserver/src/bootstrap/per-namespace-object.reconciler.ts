/**
 * Keeps one named object in every active namespace: created for each namespace that appears,
 * recreated when deleted, and (when the spec can repair it) put right when changed. It follows
 * two watches: the namespaces, and the objects of that name in all namespaces.
 *
 * The `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap are kept this way, as
 * Kubernetes' service-account and root-CA-publisher controllers keep them.
 */
import type { Clock, GroupVersionResource, KubeObject, ObjectStore, ResourceDefinition, Logger } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { keepObject, type KeptObjectSpec } from './kept-object.js';
import { WatchLoop } from './watch-loop.js';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

/** Options of a PerNamespaceObjectReconciler. */
export interface PerNamespaceObjectOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: Logger;
  /** The kind of the object. */
  resource: GroupVersionResource;
  /** Its name, the same in every namespace. */
  name: string;
  /** What it should be in a namespace. */
  spec(namespace: string): KeptObjectSpec;
}

function active(ns: KubeObject): boolean {
  return !!ns.metadata.name && !ns.metadata.deletionTimestamp && (ns['status'] as { phase?: string } | undefined)?.phase !== 'Terminating';
}

/** Keeps an object of one name in every active namespace. */
export class PerNamespaceObjectReconciler {
  private loops: WatchLoop[] = [];

  constructor(private readonly o: PerNamespaceObjectOptions) {}

  /** Puts the objects of existing namespaces right, then follows changes. */
  async start(): Promise<void> {
    const nsDef = this.o.catalog.get(NAMESPACES);
    const def = this.o.catalog.get(this.o.resource);
    if (!nsDef || !def) return;
    await this.resync(nsDef, def);
    const what = `${this.o.resource.resource}/${this.o.name} in every namespace`;
    const common = { store: this.o.store, clock: this.o.clock, logger: this.o.logger, what };
    this.loops = [
      // From the current state: every namespace arrives (again) as ADDED, which is harmless.
      new WatchLoop({
        ...common,
        def: nsDef,
        watch: {},
        onEvent: async (ev) => {
          if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && active(ev.object)) await this.keep(def, ev.object.metadata.name!);
        },
      }),
      new WatchLoop({
        ...common,
        def,
        watch: { fieldSelector: `metadata.name=${this.o.name}` },
        onEvent: async (ev) => {
          const namespace = ev.object.metadata.namespace;
          if (!namespace || ev.type === 'BOOKMARK') return;
          if (ev.type === 'DELETED' && !(await this.namespaceActive(nsDef, namespace))) return;
          if (ev.type === 'DELETED' || this.o.spec(namespace).repair) await this.keep(def, namespace);
        },
        onRestart: () => this.resync(nsDef, def),
      }),
    ];
    for (const l of this.loops) l.start();
  }

  /** Stops following changes. */
  stop(): void {
    for (const l of this.loops) l.stop();
    this.loops = [];
  }

  private async resync(nsDef: ResourceDefinition, def: ResourceDefinition): Promise<void> {
    const list = await this.o.store.list(nsDef);
    for (const ns of list.items) if (active(ns)) await this.keep(def, ns.metadata.name!);
  }

  private async keep(def: ResourceDefinition, namespace: string): Promise<void> {
    await keepObject(this.o.store, def, { namespace, name: this.o.name }, this.o.spec(namespace));
  }

  private async namespaceActive(nsDef: ResourceDefinition, name: string): Promise<boolean> {
    try {
      return active(await this.o.store.get(nsDef, { name }));
    } catch {
      return false;
    }
  }
}
