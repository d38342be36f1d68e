/**
 * A tiny in-memory ObjectStore for the runtime's own tests of leader election: get, create
 * and update with resourceVersion conflicts, for any kind, plus a switch that makes every
 * call fail (a network partition) and a hook to run code before each call. It does not
 * model: list, watch, patch, delete, validation, defaulting, generation, uid, or selectors;
 * those calls throw.
 */
import { alreadyExists, conflict, internalError, notFound } from '../../src/api/errors.js';
import { keyString, objectKey, type KubeObject, type ObjectKey } from '../../src/api/meta.js';
import type { ResourceType } from '../../src/api/resource-type.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { deepFreeze } from '../../src/util/mutable.js';

export class LeaseStoreFake implements Pick<ObjectStore, 'get' | 'create' | 'update'> {
  private readonly objects = new Map<string, KubeObject>();
  private rv = 0;
  /** When set, every call fails with an InternalError naming the caller. */
  partitioned = new Set<string>();
  calls: { verb: string; key: string; caller?: string }[] = [];

  /** A view of this store for one caller, so tests can cut one candidate off. */
  as(caller: string): ObjectStore {
    const call = <R>(verb: string, key: ObjectKey, f: () => R): R => {
      this.calls.push({ verb, key: keyString(key), caller });
      if (this.partitioned.has(caller)) throw internalError(`${caller} is partitioned`);
      return f();
    };
    const store: Partial<ObjectStore> = {
      get: async (t, key) => call('get', key, () => this.getSync(t, key)),
      create: async (t, obj) => call('create', objectKey(obj), () => this.createSync(t, obj)),
      update: async (t, obj) => call('update', objectKey(obj), () => this.updateSync(t, obj)),
    };
    return store as ObjectStore;
  }

  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): Promise<T> {
    return Promise.resolve(this.getSync(type, key));
  }
  create<T extends KubeObject>(type: ResourceType<T>, obj: T): Promise<T> {
    return Promise.resolve(this.createSync(type, obj));
  }
  update<T extends KubeObject>(type: ResourceType<T>, obj: T): Promise<T> {
    return Promise.resolve(this.updateSync(type, obj));
  }

  private k(type: ResourceType, key: ObjectKey): string {
    return `${type.group}/${type.resource}/${keyString(key)}`;
  }
  private getSync<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): T {
    const o = this.objects.get(this.k(type, key));
    if (!o) throw notFound({ group: type.group, resource: type.resource }, key.name);
    return o as T;
  }
  private createSync<T extends KubeObject>(type: ResourceType<T>, obj: T): T {
    const k = this.k(type, objectKey(obj));
    if (this.objects.has(k)) throw alreadyExists({ group: type.group, resource: type.resource }, obj.metadata.name ?? '');
    const stored = deepFreeze({
      ...structuredClone(obj),
      metadata: { ...structuredClone(obj.metadata), resourceVersion: String(++this.rv) },
    });
    this.objects.set(k, stored);
    return stored;
  }
  private updateSync<T extends KubeObject>(type: ResourceType<T>, obj: T): T {
    const k = this.k(type, objectKey(obj));
    const cur = this.objects.get(k);
    if (!cur) throw notFound({ group: type.group, resource: type.resource }, obj.metadata.name ?? '');
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict({ group: type.group, resource: type.resource }, obj.metadata.name ?? '');
    }
    const stored = deepFreeze({
      ...structuredClone(obj),
      metadata: { ...structuredClone(obj.metadata), resourceVersion: String(++this.rv) },
    });
    this.objects.set(k, stored);
    return stored;
  }
}
