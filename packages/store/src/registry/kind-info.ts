import type { KubeObject, QualifiedResource, ResourceDefinition } from '@converge/core';
import { GENERIC_STORAGE, type KindStorage } from './kinds/kind-storage.js';
import { StorageConversion } from './storage-conversion.js';

/**
 * What the registry derives once from a ResourceDefinition: storage key layout (the storage
 * form's, for a version stored as another), the name used in error messages, which top-level
 * fields are the status, and the conversion to and from the storage form.
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
  /** Whether objects of the kind carry `metadata.generation` (the strategy's `tracksGeneration`). */
  readonly tracksGeneration: boolean;
  /** What the kind's storage does beyond the generic store (from the kinds table; `GENERIC_STORAGE` when nothing). */
  readonly storage: KindStorage;
  /**
   * How objects convert between this served version and the form they are stored in, when
   * the definition has a `storage` mapping; undefined (and free) when stored as themselves.
   */
  readonly conversion: StorageConversion | undefined;
}

/** Options of a KeyLayout. */
export interface KeyLayoutOptions {
  /** The root of every key (default `/registry`). */
  root?: string;
  /** The storage of a kind (default: `GENERIC_STORAGE` for every kind). */
  storageOf?: (def: ResourceDefinition) => KindStorage;
}

/**
 * Builds the storage keys of the registry: `<root>/<group>/<resource>/<namespace>/<name>`,
 * or `<root>/<resource>/...` for the core group, where `root` defaults to `/registry`; and
 * the KindInfo of each definition.
 */
export class KeyLayout {
  private readonly cache = new WeakMap<ResourceDefinition, KindInfo>();
  /** The root of every key. */
  readonly root: string;
  private readonly storageOf: (def: ResourceDefinition) => KindStorage;

  /** Makes a layout under `options.root` (a string is the root, as before options existed). */
  constructor(options: KeyLayoutOptions | string = {}) {
    const o = typeof options === 'string' ? { root: options } : options;
    this.root = o.root ?? '/registry';
    this.storageOf = o.storageOf ?? (() => GENERIC_STORAGE);
  }

  /** The (cached) KindInfo of a definition. */
  info(def: ResourceDefinition): KindInfo {
    let info = this.cache.get(def);
    if (!info) {
      const hasStatus = def.subresources?.status === true;
      // Versions sharing a storage share its key prefix: one copy of each object.
      const stored = def.storage ?? def;
      const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
      info = {
        def,
        qualified: def.group ? { group: def.group, resource: def.resource } : { resource: def.resource },
        apiVersion,
        collectionPrefix: stored.group ? `${this.root}/${stored.group}/${stored.resource}/` : `${this.root}/${stored.resource}/`,
        statusFields: hasStatus ? (def.strategy?.statusFields ?? ['status']) : [],
        tracksGeneration: def.strategy?.tracksGeneration === true,
        storage: this.storageOf(def),
        conversion: def.storage ? new StorageConversion(def.storage) : undefined,
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
