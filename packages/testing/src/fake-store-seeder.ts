/**
 * How a FakeStore seeds objects: through its registry, as they would stand in a cluster
 * (status written through the status subresource, deletion started when asked for, given
 * uids kept, the namespaces they live in created when missing).
 */
import { mutable, Namespaces, type KubeObject, type ObjectKey } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Registry } from '@converge/store';

/** What a seeder needs: the store's registry and catalog, and whether it creates missing namespaces. */
export interface FakeStoreSeederOptions {
  registry: Registry;
  catalog: ResourceCatalog;
  autoCreateNamespaces: boolean;
}

/** Puts objects in a FakeStore's registry without recording actions or running interceptors. */
export class FakeStoreSeeder {
  private pendingUid: string | undefined;
  private readonly knownNamespaces = new Set<string>();

  constructor(private readonly o: FakeStoreSeederOptions) {}

  /**
   * The uid the object being seeded carries, once (then undefined): the registry's uid source
   * asks for it first, so that a seeded object keeps its uid.
   */
  takePendingUid(): string | undefined {
    const uid = this.pendingUid;
    this.pendingUid = undefined;
    return uid;
  }

  /** Seeds `objects` in order, namespaces first; see `FakeStore.seed`. Returns the stored objects. */
  async seedAll(objects: readonly KubeObject[]): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    // Namespaces first, so objects can be listed in any order.
    const ordered = [...objects.filter(isNamespaceObject), ...objects.filter((o) => !isNamespaceObject(o))];
    for (const obj of ordered) out.push(await this.seedOne(obj));
    return out;
  }

  private async seedOne(obj: KubeObject): Promise<KubeObject> {
    const where = `${obj?.kind ?? '?'} ${obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj?.metadata?.name ?? obj?.metadata?.generateName ?? ''}`;
    try {
      if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string')
        throw new Error('a seeded object needs apiVersion and kind');
      const def = this.o.catalog.forKind(obj.apiVersion, obj.kind);
      if (!def)
        throw new Error(`the kind ${obj.apiVersion}/${obj.kind} is not served; pass its definition in the FakeStore's \`kinds\` option`);
      if (def.namespaced && this.o.autoCreateNamespaces && obj.metadata.namespace) await this.ensureNamespace(obj.metadata.namespace);
      const body = mutable(obj) as KubeObject;
      const wantDeleted = body.metadata.deletionTimestamp !== undefined;
      delete body.metadata.resourceVersion;
      delete body.metadata.creationTimestamp;
      delete body.metadata.deletionTimestamp;
      delete body.metadata.deletionGracePeriodSeconds;
      delete body.metadata.generation;
      this.pendingUid = body.metadata.uid || undefined;
      let stored: KubeObject;
      try {
        stored = await this.o.registry.create(def, body);
      } finally {
        this.pendingUid = undefined;
      }
      if (def.group === '' && def.resource === 'namespaces') this.knownNamespaces.add(stored.metadata.name!);
      const statusFields = def.subresources?.status ? (def.strategy?.statusFields ?? ['status']) : [];
      if (
        statusFields.some((f) => obj[f] !== undefined) &&
        !statusFields.every((f) => JSON.stringify(obj[f]) === JSON.stringify(stored[f]))
      ) {
        const withStatus = mutable(stored) as KubeObject;
        for (const f of statusFields) if (obj[f] !== undefined) withStatus[f] = mutable(obj[f]);
        delete withStatus.metadata.resourceVersion;
        stored = await this.o.registry.update(def, withStatus, { subresource: 'status' });
      }
      if (wantDeleted) {
        const key: ObjectKey = def.namespaced
          ? { namespace: stored.metadata.namespace!, name: stored.metadata.name! }
          : { name: stored.metadata.name! };
        stored = await this.o.registry.delete(def, key);
      }
      return stored;
    } catch (err) {
      const message = `FakeStore: seeding ${where} failed: ${err instanceof Error ? err.message : String(err)}`;
      throw Object.assign(new Error(message, { cause: err }), { name: 'FakeStoreSeedError' });
    }
  }

  private async ensureNamespace(name: string): Promise<void> {
    if (this.knownNamespaces.has(name)) return;
    try {
      await this.o.registry.get(Namespaces, { name });
    } catch {
      await this.o.registry.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    this.knownNamespaces.add(name);
  }
}

/** Whether `o` is a core/v1 Namespace. */
export function isNamespaceObject(o: KubeObject): boolean {
  return o?.apiVersion === 'v1' && o?.kind === 'Namespace';
}
