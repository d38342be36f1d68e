import { deepFreeze, type KubeObject } from '@converge/core';
import type { StorageMapping } from '@converge/core/kinds';

/**
 * The conversion of one served version to and from its storage form (a definition's
 * `storage` mapping), as the registry applies it on every read, write, list and watch.
 *
 * Views of stored objects are memoized per stored object: stored objects are frozen and
 * never change, so every reader of one revision (a list, each watcher of a fan-out, a get)
 * shares one frozen view, and the API server's per-object caches keep working.
 */
export class StorageConversion {
  private readonly views = new WeakMap<KubeObject, KubeObject>();

  constructor(private readonly mapping: StorageMapping) {}

  /** The served view of a stored object: deeply frozen, with the stored object's resourceVersion. */
  view(stored: KubeObject): KubeObject {
    let v = this.views.get(stored);
    if (v === undefined) {
      v = this.mapping.fromStorage(stored);
      const rv = stored.metadata?.resourceVersion;
      if (rv !== undefined && v.metadata?.resourceVersion !== rv) v = { ...v, metadata: { ...v.metadata, resourceVersion: rv } };
      deepFreeze(v);
      this.views.set(stored, v);
    }
    return v;
  }

  /**
   * The storage form of an object of the served version, to be written. Its metadata is a
   * fresh object (the backend stamps the resourceVersion on it) without a resourceVersion.
   */
  toStorage(obj: KubeObject): KubeObject {
    const stored = this.mapping.toStorage(obj);
    const metadata = { ...stored.metadata };
    delete metadata.resourceVersion;
    return { ...stored, metadata };
  }
}
