import type { KubeObject, QualifiedResource, ResourceDefinition } from '@converge/core';

/**
 * What the registry derives once from a ResourceDefinition: storage key layout, the name
 * used in error messages, and which top-level fields are the status.
 */
export interface KindInfo {
  readonly def: ResourceDefinition;
  /** `{ group, resource }` for error messages (`deployments.apps "web" not found`). */
  readonly qualified: QualifiedResource;
  /** `apps/v1` or `v1`. */
  readonly apiVersion: string;
  /** The key prefix of the whole collection, ending in `/`. */
  readonly collectionPrefix: string;
  /** Top-level fields split off the main resource when the kind has a status subresource (empty otherwise). */
  readonly statusFields: readonly string[];
  /** Whether the kind is the core/v1 Namespace. */
  readonly isNamespace: boolean;
  /** Whether the kind is the core/v1 Pod. */
  readonly isPod: boolean;
}

/**
 * Builds the storage keys of the registry: `<root>/<group>/<resource>/<namespace>/<name>`,
 * or `<root>/<resource>/...` for the core group, where `root` defaults to `/registry`.
 */
export class KeyLayout {
  private readonly cache = new WeakMap<ResourceDefinition, KindInfo>();

  constructor(readonly root = '/registry') {}

  /** The (cached) KindInfo of a definition. */
  info(def: ResourceDefinition): KindInfo {
    let info = this.cache.get(def);
    if (!info) {
      const hasStatus = def.subresources?.status === true;
      info = {
        def,
        qualified: def.group ? { group: def.group, resource: def.resource } : { resource: def.resource },
        apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
        collectionPrefix: def.group ? `${this.root}/${def.group}/${def.resource}/` : `${this.root}/${def.resource}/`,
        statusFields: hasStatus ? (def.strategy?.statusFields ?? ['status']) : [],
        isNamespace: def.group === '' && def.resource === 'namespaces',
        isPod: def.group === '' && def.resource === 'pods',
      };
      this.cache.set(def, info);
    }
    return info;
  }

  /** The prefix to list or watch: one namespace, or the whole collection. */
  prefix(info: KindInfo, namespace?: string): string {
    return info.def.namespaced && namespace ? `${info.collectionPrefix}${namespace}/` : info.collectionPrefix;
  }

  /** The key of one object. */
  key(info: KindInfo, namespace: string | undefined, name: string): string {
    return info.def.namespaced ? `${info.collectionPrefix}${namespace ?? ''}/${name}` : `${info.collectionPrefix}${name}`;
  }
}

/** The name and namespace of an object, for messages. */
export function nameOf(obj: KubeObject | undefined): string {
  return obj?.metadata?.name ?? '';
}
