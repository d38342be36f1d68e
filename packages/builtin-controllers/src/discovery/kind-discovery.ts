import { concat, distinctUntilChanged, map, of, type Observable } from 'rxjs';
import { apiVersionOf, type ResourceDefinition, type ResourceType } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';

/** A kind the cluster serves, as discovery reports it: its identity and the verbs it serves. */
export interface DiscoveredKind extends ResourceType {
  /** The verbs served (`get`, `list`, `watch`, `delete`, `deletecollection`, ...). */
  verbs: readonly string[];
  /**
   * Whether this is the version to read and watch the kind's objects through: one per
   * stored collection (group and resource, or the storage form that several served
   * versions share), as Kubernetes' "preferred resources" are.
   */
  preferred: boolean;
}

/**
 * Where controllers that act on every kind (the garbage collector, the namespace
 * controller) learn which kinds exist, and when that changes (a CRD is created or deleted).
 *
 * In process this is the cluster's `ResourceCatalog` (`catalogDiscovery`); against a
 * remote API server, its discovery endpoints polled (`apiDiscovery`).
 */
export interface KindDiscovery {
  /** The kinds served now. */
  kinds(): readonly DiscoveredKind[];
  /** Emits the kinds served now on subscription, then again whenever the set changes. */
  readonly changes: Observable<readonly DiscoveredKind[]>;
  /** Discovery problems of the last refresh (e.g. a group that failed to answer), for the namespace controller's conditions. */
  failures(): readonly string[];
  /** Whether `kinds()` reflects at least one complete answer (a remote server's discovery is read asynchronously). */
  synced(): boolean;
}

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** The key of the collection a kind's objects are stored in: several served versions may share one. */
export function storageIdentity(def: ResourceDefinition): string {
  return def.storage ? `${def.storage.group}/${def.storage.resource}` : `${def.group}/${def.resource}`;
}

/** The discovered form of a catalog's kinds: every non-virtual kind, one of each stored collection preferred. */
export function kindsOfCatalog(catalog: ResourceCatalog): DiscoveredKind[] {
  const defs = catalog.all().filter((d) => !d.virtual);
  const preferred = new Map<string, ResourceDefinition>();
  // A definition stored as itself wins over the views of it; otherwise the first added.
  for (const d of defs) {
    const key = storageIdentity(d);
    const current = preferred.get(key);
    if (!current || (current.storage && !d.storage)) preferred.set(key, d);
  }
  const chosen = new Set(preferred.values());
  return defs.map((d) => ({
    group: d.group,
    version: d.version,
    resource: d.resource,
    kind: d.kind,
    namespaced: d.namespaced,
    verbs: d.verbs ?? ALL_VERBS,
    preferred: chosen.has(d),
  }));
}

/** A string that changes exactly when the set of kinds (or their verbs) changes. */
export function fingerprint(kinds: readonly DiscoveredKind[]): string {
  return kinds
    .map((k) => `${apiVersionOf(k)}/${k.resource}:${k.preferred ? 'p' : ''}:${k.verbs.join(',')}`)
    .sort()
    .join('\n');
}

/**
 * The discovery of an in-process cluster: the kinds of its `ResourceCatalog`, following its
 * `changes` stream, so a CRD's kinds are seen the moment the API server registers them.
 */
export function catalogDiscovery(catalog: ResourceCatalog): KindDiscovery {
  return {
    kinds: () => kindsOfCatalog(catalog),
    changes: concat(of(null), catalog.changes).pipe(
      map(() => kindsOfCatalog(catalog)),
      distinctUntilChanged((a, b) => fingerprint(a) === fingerprint(b)),
    ),
    failures: () => [],
    synced: () => true,
  };
}

/** Whether a kind can be listed, watched and deleted: what the garbage collector needs to follow it. */
export function isDeletable(k: DiscoveredKind): boolean {
  return k.verbs.includes('list') && k.verbs.includes('watch') && k.verbs.includes('delete') && k.verbs.includes('get');
}

/** Resolves owner references' `apiVersion` + `kind` to the preferred kind of their group. */
export class KindResolver {
  private readonly byGroupKind = new Map<string, DiscoveredKind>();

  /** Indexes a set of discovered kinds. */
  constructor(kinds: readonly DiscoveredKind[]) {
    for (const k of kinds) {
      const key = `${k.group}/${k.kind}`;
      const current = this.byGroupKind.get(key);
      if (!current || (!current.preferred && k.preferred)) this.byGroupKind.set(key, k);
    }
  }

  /** The kind an `apiVersion` and `kind` name (any version of the group), or undefined when it is not served. */
  resolve(apiVersion: string, kind: string): DiscoveredKind | undefined {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.byGroupKind.get(`${group}/${kind}`);
  }
}
