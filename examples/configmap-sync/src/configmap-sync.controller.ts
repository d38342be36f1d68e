import 'reflect-metadata';
import {
  ConfigMaps,
  Controller,
  InformersToken,
  isAlreadyExists,
  isNotFound,
  MapFrom,
  mutable,
  Namespaces,
  ObjectStoreToken,
  type ConfigMap,
  type InformerProvider,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { inject, optional } from 'inversify';

/** Put this label (value `true`) on a ConfigMap in the source namespace to copy it into every namespace. */
export const SYNC_LABEL = 'sync.example.converge.dev/enabled';
/** The label every copy carries: the name of the ConfigMap it was copied from. */
export const COPY_LABEL = 'sync.example.converge.dev/copy-of';
/** Put this label (value `true`) on a Namespace to keep copies out of it (existing copies are removed). */
export const SKIP_LABEL = 'sync.example.converge.dev/skip';

/** Settings of the controller. */
export interface SyncSettings {
  /** The namespace whose labelled ConfigMaps are copied; default `config-source`. */
  sourceNamespace: string;
}

/** The inversify token of the settings; bind it in the manager's container to change them. */
export const SyncSettingsToken = Symbol.for('example.configmap-sync.settings');

/** The default settings. */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = { sourceNamespace: 'config-source' };

/**
 * Copies every ConfigMap of the source namespace labelled `sync.example.converge.dev/enabled=true`
 * into every other Namespace, keeps the copies' data in line with the source, and removes
 * copies whose source is gone (or unlabelled), and all copies from a Namespace labelled
 * `sync.example.converge.dev/skip=true`. A ConfigMap of the same name that is not a copy is
 * never touched.
 *
 * It watches built-in kinds only: it reconciles Namespaces (`for: Namespaces`), and maps
 * ConfigMap events to the Namespaces they concern (`@MapFrom(ConfigMaps)`): a change to a
 * source ConfigMap to every Namespace, a change to a copy to its own Namespace.
 *
 * It reads through the manager's cached client (`ObjectStoreToken`): the Namespace and the
 * ConfigMaps of a reconcile come from the shared informers' caches (the same ones its
 * watches fill), so a reconcile makes no read request; its writes go to the store. The
 * mapper, which must answer at once, reads the Namespaces informer's cache directly.
 */
@Controller({ name: 'configmap-sync', for: Namespaces })
export class ConfigMapSyncController implements Reconciler {
  private readonly settings: SyncSettings;

  constructor(
    /** The cached client: reads from the shared caches, writes to the store. */
    @inject(ObjectStoreToken) private readonly client: ObjectStore,
    @inject(InformersToken) private readonly informers: InformerProvider,
    @inject(SyncSettingsToken) @optional() settings?: SyncSettings,
  ) {
    this.settings = settings ?? DEFAULT_SYNC_SETTINGS;
  }

  /** Maps a ConfigMap event to the Namespaces to reconcile. */
  @MapFrom(ConfigMaps)
  namespacesFor(cm: ConfigMap): Request[] {
    const ns = cm.metadata.namespace;
    if (ns === this.settings.sourceNamespace) {
      // A source changed (or stopped being one): every namespace may need its copy changed.
      return this.informers
        .informerFor(Namespaces)
        .cache.list()
        .map((n) => ({ name: n.metadata.name! }))
        .filter((r) => r.name !== ns);
    }
    return cm.metadata.labels?.[COPY_LABEL] !== undefined && ns ? [{ name: ns }] : [];
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const namespace = request.name;
    const source = this.settings.sourceNamespace;
    if (namespace === source) return;
    let ns;
    try {
      ns = await this.client.get(Namespaces, { name: namespace });
    } catch (err) {
      if (isNotFound(err)) return; // gone: its ConfigMaps go with it
      throw err;
    }
    if (ns.metadata.deletionTimestamp) return; // terminating: nothing can be created in it

    const wanted = new Map<string, ConfigMap>();
    if (ns.metadata.labels?.[SKIP_LABEL] !== 'true') {
      const sources = await this.client.list(ConfigMaps, { namespace: source, labelSelector: `${SYNC_LABEL}=true` });
      for (const s of sources.items) wanted.set(s.metadata.name!, s);
    }
    const copies = await this.client.list(ConfigMaps, { namespace, labelSelector: COPY_LABEL });
    const existing = new Map(copies.items.map((c) => [c.metadata.name!, c]));

    for (const [name, src] of wanted) {
      const copy = existing.get(name);
      if (copy) {
        if (sameData(copy, src)) continue;
        const next = mutable(copy);
        setData(next, src);
        await this.client.update(ConfigMaps, next); // a Conflict is retried with back-off
        ctx.log.info({ configMap: name }, 'updated copy');
        continue;
      }
      try {
        const body: ConfigMap = { metadata: { name, namespace, labels: { [COPY_LABEL]: name } } };
        setData(body, src);
        await this.client.create(ConfigMaps, body);
        ctx.log.info({ configMap: name }, 'created copy');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // A ConfigMap of that name exists and is not a copy: never overwrite it. Nothing to
        // retry: its owner may delete it, and that event brings this namespace back.
        ctx.log.warn({ configMap: name }, `ConfigMap ${namespace}/${name} exists and is not a copy of ${source}/${name}; leaving it alone`);
      }
    }
    for (const [name, copy] of existing) {
      if (wanted.has(name)) continue;
      try {
        await this.client.delete(ConfigMaps, { namespace, name }, { preconditions: { uid: copy.metadata.uid! } });
        ctx.log.info({ configMap: name }, 'deleted stale copy');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

function sameData(a: ConfigMap, b: ConfigMap): boolean {
  return (
    JSON.stringify(a.data ?? {}) === JSON.stringify(b.data ?? {}) &&
    JSON.stringify(a.binaryData ?? {}) === JSON.stringify(b.binaryData ?? {})
  );
}

function setData(target: ConfigMap, src: ConfigMap): void {
  if (src.data) target.data = { ...src.data };
  else delete target.data;
  if (src.binaryData) target.binaryData = { ...src.binaryData };
  else delete target.binaryData;
}
