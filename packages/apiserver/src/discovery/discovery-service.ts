/**
 * Discovery documents built from the ResourceCatalog: the legacy forms (`APIVersions`,
 * `APIGroupList`, `APIGroup`, `APIResourceList`) and the aggregated form
 * (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`) kubectl asks for first.
 *
 * Documents are built on first use and dropped whenever the catalog changes, so a CRD shows up
 * (or disappears) on the very next request.
 */
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Subscription } from 'rxjs';
import { subresourcesOf } from './subresources.js';
import { compareGroups, compareVersions } from './version-priority.js';

/** The verbs of a kind that declares none. */
export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** The verbs a kind serves. */
export function verbsOf(def: ResourceDefinition): readonly string[] {
  if (def.verbs) return def.verbs;
  return def.virtual ? ['create'] : DEFAULT_VERBS;
}

interface GroupEntry {
  name: string;
  /** Versions, most preferred first. */
  versions: string[];
  /** Definitions per version, sorted by resource name. */
  byVersion: Map<string, ResourceDefinition[]>;
}

interface Cache {
  groups: GroupEntry[];
  core?: GroupEntry;
  /** Serialized documents by key, with their ETag. */
  docs: Map<string, { body: string; etag: string }>;
}

/**
 * Kubernetes' storage version hash: the first 8 bytes of sha256(`group/version/kind`) of the
 * form objects are stored in, base64. Versions stored as another (`def.storage`: autoscaling/v1
 * and v2 HorizontalPodAutoscalers, core/v1 and events.k8s.io/v1 Events) hash that storage form,
 * so they report the same hash, as clients comparing storage versions expect.
 */
function storageVersionHash(def: ResourceDefinition): string {
  const stored = def.storage ?? def;
  return createHash('sha256').update(`${stored.group}/${stored.version}/${stored.kind}`).digest().subarray(0, 8).toString('base64');
}

/** A discovery document, serialized, with its ETag. */
export interface DiscoveryDocument {
  body: string;
  etag: string;
}

/** Builds and caches discovery documents for one catalog. */
export class DiscoveryService {
  private cache: Cache | undefined;
  private readonly subscription: Subscription;

  constructor(private readonly catalog: ResourceCatalog) {
    this.subscription = catalog.changes.subscribe(() => {
      this.cache = undefined;
    });
  }

  /** Stops following catalog changes. */
  close(): void {
    this.subscription.unsubscribe();
  }

  private state(): Cache {
    if (this.cache) return this.cache;
    const groups = new Map<string, GroupEntry>();
    for (const def of this.catalog.all()) {
      let g = groups.get(def.group);
      if (!g) {
        g = { name: def.group, versions: [], byVersion: new Map() };
        groups.set(def.group, g);
      }
      let list = g.byVersion.get(def.version);
      if (!list) {
        list = [];
        g.byVersion.set(def.version, list);
        g.versions.push(def.version);
      }
      list.push(def);
    }
    const all = [...groups.values()];
    for (const g of all) {
      g.versions.sort(compareVersions);
      for (const list of g.byVersion.values()) list.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
    }
    all.sort((a, b) => compareGroups(a.name, b.name));
    const cache: Cache = { groups: all.filter((g) => g.name !== ''), docs: new Map() };
    const core = groups.get('');
    if (core) cache.core = core;
    this.cache = cache;
    return cache;
  }

  private doc(key: string, build: () => unknown): DiscoveryDocument | undefined {
    const cache = this.state();
    let d = cache.docs.get(key);
    if (!d) {
      const value = build();
      if (value === undefined) return undefined;
      // Ends with a newline, as every JSON body Kubernetes encodes.
      const body = `${JSON.stringify(value)}\n`;
      d = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
      cache.docs.set(key, d);
    }
    return d;
  }

  /** `/api` in the legacy form (`APIVersions`). */
  legacyCoreVersions(serverAddress: string): DiscoveryDocument {
    return this.doc(`api|${serverAddress}`, () => ({
      kind: 'APIVersions',
      versions: this.state().core?.versions ?? ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    }))!;
  }

  /** `/apis` in the legacy form (`APIGroupList`). */
  legacyGroupList(): DiscoveryDocument {
    return this.doc('apis', () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: this.state().groups.map((g) => this.apiGroup(g)) }))!;
  }

  /** `/apis/<group>` (`APIGroup`), or undefined when the group is not served. */
  legacyGroup(group: string): DiscoveryDocument | undefined {
    return this.doc(`apis/${group}`, () => {
      const g = this.state().groups.find((x) => x.name === group);
      return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g) } : undefined;
    });
  }

  /** `/api/v1` or `/apis/<group>/<version>` (`APIResourceList`), or undefined when not served. */
  resourceList(group: string, version: string): DiscoveryDocument | undefined {
    return this.doc(`rl/${group}/${version}`, () => {
      const s = this.state();
      const g = group === '' ? s.core : s.groups.find((x) => x.name === group);
      const defs = g?.byVersion.get(version);
      if (!defs) return undefined;
      const resources: Record<string, unknown>[] = [];
      for (const def of defs) {
        const r: Record<string, unknown> = {
          name: def.resource,
          singularName: def.singular,
          namespaced: def.namespaced,
          kind: def.kind,
          verbs: verbsOf(def),
        };
        if (def.shortNames?.length) r['shortNames'] = def.shortNames;
        if (def.categories?.length) r['categories'] = def.categories;
        if (!def.virtual) r['storageVersionHash'] = storageVersionHash(def);
        resources.push(r);
        for (const sub of subresourcesOf(def)) {
          const sr: Record<string, unknown> = { name: `${def.resource}/${sub.name}`, singularName: '', namespaced: def.namespaced };
          if (sub.kind.group !== def.group || sub.kind.version !== def.version) {
            sr['group'] = sub.kind.group;
            sr['version'] = sub.kind.version;
          }
          sr['kind'] = sub.kind.kind;
          sr['verbs'] = sub.verbs;
          resources.push(sr);
        }
      }
      const out: Record<string, unknown> = { kind: 'APIResourceList' };
      if (group !== '') out['apiVersion'] = 'v1';
      out['groupVersion'] = group ? `${group}/${version}` : version;
      out['resources'] = resources;
      return out;
    });
  }

  /** The aggregated discovery document of `/api` (core) or `/apis` (every other group). */
  aggregated(which: 'api' | 'apis', version: 'v2' | 'v2beta1'): DiscoveryDocument {
    return this.doc(`agg/${which}/${version}`, () => {
      const s = this.state();
      const groups = which === 'api' ? (s.core ? [s.core] : []) : s.groups;
      return {
        kind: 'APIGroupDiscoveryList',
        apiVersion: `apidiscovery.k8s.io/${version}`,
        metadata: {},
        items: groups.map((g) => ({
          metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
          versions: g.versions.map((v) => ({
            version: v,
            resources: (g.byVersion.get(v) ?? []).map((def) => this.resourceDiscovery(def)),
            freshness: 'Current',
          })),
        })),
      };
    })!;
  }

  private resourceDiscovery(def: ResourceDefinition): Record<string, unknown> {
    const r: Record<string, unknown> = {
      resource: def.resource,
      responseKind: { group: def.group, version: def.version, kind: def.kind },
      scope: def.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: def.singular,
      verbs: verbsOf(def),
    };
    if (def.shortNames?.length) r['shortNames'] = def.shortNames;
    if (def.categories?.length) r['categories'] = def.categories;
    const subs = subresourcesOf(def);
    if (subs.length) {
      r['subresources'] = subs.map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs }));
    }
    return r;
  }

  private apiGroup(g: GroupEntry): Record<string, unknown> {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  }
}
