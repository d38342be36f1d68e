import { Subject, type Observable } from 'rxjs';
import type { KubeObject } from './meta.js';
import { apiVersionOf, gvrKey, type GroupVersionResource, type ResourceDefinition } from './resource-type.js';

/** A change to the catalog: a kind was added (e.g. a CRD was created) or removed. */
export interface CatalogChange {
  type: 'added' | 'removed';
  definition: ResourceDefinition;
}

/**
 * The set of kinds a cluster serves, looked up by resource, kind or the names users type.
 *
 * The registry, the API server (discovery, OpenAPI) and the CLI all read one catalog; CRDs
 * add kinds to it at run time, and `changes` tells everyone.
 */
export class ResourceCatalog {
  private readonly byResource = new Map<string, ResourceDefinition>();
  private readonly byKind = new Map<string, ResourceDefinition>();
  private readonly changeSubject = new Subject<CatalogChange>();

  /** Emits every add and remove, in order. */
  readonly changes: Observable<CatalogChange> = this.changeSubject.asObservable();

  constructor(definitions: Iterable<ResourceDefinition> = []) {
    for (const d of definitions) this.add(d);
  }

  /** Adds (or replaces) a kind. */
  add<T extends KubeObject>(def: ResourceDefinition<T>): void {
    const d = def as unknown as ResourceDefinition;
    this.byResource.set(gvrKey(d), d);
    this.byKind.set(`${apiVersionOf(d)}/${d.kind}`, d);
    this.changeSubject.next({ type: 'added', definition: d });
  }

  /** Removes a kind; returns whether it was there. */
  remove(r: GroupVersionResource): boolean {
    const d = this.byResource.get(gvrKey(r));
    if (!d) return false;
    this.byResource.delete(gvrKey(r));
    this.byKind.delete(`${apiVersionOf(d)}/${d.kind}`);
    this.changeSubject.next({ type: 'removed', definition: d });
    return true;
  }

  /** The definition of a group/version/resource, if served. */
  get(r: GroupVersionResource): ResourceDefinition | undefined {
    return this.byResource.get(gvrKey(r));
  }

  /** The definition of an `apiVersion` + `kind`, if served. */
  forKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /**
   * Finds kinds by a name a user types: plural, singular, short name or kind, optionally
   * qualified by group (`deployments.apps`, `deploy`).
   */
  find(name: string): ResourceDefinition[] {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot < 0 ? lower : lower.slice(0, dot);
    const group = dot < 0 ? undefined : lower.slice(dot + 1);
    const out: ResourceDefinition[] = [];
    for (const d of this.byResource.values()) {
      if (group !== undefined && d.group !== group) continue;
      if (d.resource === base || d.singular === base || d.kind.toLowerCase() === base || d.shortNames?.includes(base)) out.push(d);
    }
    return out;
  }

  /** Every served kind, in the order added. */
  all(): ResourceDefinition[] {
    return [...this.byResource.values()];
  }
}
