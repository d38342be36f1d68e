/**
 * A small in-memory ObjectStore for the helpers' own tests: get, create, update, merge
 * patch (with a `metadata.resourceVersion` precondition, on the object or its `status`),
 * delete with finalizers (deletionTimestamp, removal once the last finalizer goes), and a
 * record of every call. Failures can be queued per verb.
 *
 * It does not model: list, watch, deleteCollection, JSON / strategic / apply patches (a
 * strategic patch is merged like a merge patch), validation, defaulting, generation,
 * managedFields, selectors, dry runs, or the status/spec split beyond "a status patch or
 * update changes only `status`". The registry in `@converge/store` models all of that;
 * `@converge/testing` runs the helpers against it.
 */
import { Observable } from 'rxjs';
import { alreadyExists, conflict, notFound, StatusError } from '../../src/api/errors.js';
import { keyString, objectKey, type KubeObject, type ObjectKey, type ObjectList, type WatchEvent } from '../../src/api/meta.js';
import type { ResourceType } from '../../src/api/resource-type.js';
import type { CreateOptions, DeleteOptions, ObjectStore, Patch, PatchOptions, UpdateOptions } from '../../src/store/object-store.js';
import { realClock, rfc3339, type Clock } from '../../src/util/clock.js';
import { deepFreeze, mutable } from '../../src/util/mutable.js';

/** One call the fake received. */
export interface FakeCall {
  verb: 'get' | 'create' | 'update' | 'patch' | 'delete';
  resource: string;
  key: string;
  subresource?: string;
  body?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The fake (see the file comment for what it does not model). */
export class WriteStoreFake implements ObjectStore {
  readonly calls: FakeCall[] = [];
  /** Errors the next calls of a verb throw, first first. */
  readonly failures: Partial<Record<FakeCall['verb'], unknown[]>> = {};
  private readonly objects = new Map<string, KubeObject>();
  private rv = 0;
  private uid = 0;

  /** Makes a fake; `clock` stamps creation and deletion times. */
  constructor(private readonly clock: Clock = realClock) {}

  /** Puts an object as if created (for seeding); returns the stored, frozen object. */
  seed<T extends KubeObject>(type: ResourceType<T>, obj: T): T {
    return this.store(type, mutable(obj), undefined);
  }

  /** The stored object, if any. */
  peek<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): T | undefined {
    return this.objects.get(this.keyOf(type, key)) as T | undefined;
  }

  /** Every stored object of a kind. */
  all<T extends KubeObject>(type: ResourceType<T>): T[] {
    const prefix = `${type.group}/${type.resource}/`;
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, o]) => o as T);
  }

  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): Promise<T> {
    this.record({ verb: 'get', resource: type.resource, key: keyString(key) });
    const o = this.objects.get(this.keyOf(type, key));
    if (!o) throw notFound(type, key.name);
    return o as T;
  }

  async list<T extends KubeObject>(): Promise<ObjectList<T>> {
    throw new StatusError('MethodNotAllowed', 'the fake does not model list');
  }

  watch<T extends KubeObject>(): Observable<WatchEvent<T>> {
    return new Observable((s) => s.error(new StatusError('MethodNotAllowed', 'the fake does not model watch')));
  }

  async create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions = {}): Promise<T> {
    this.record({
      verb: 'create',
      resource: type.resource,
      key: keyString(objectKey(obj)),
      body: obj,
      ...(options.subresource ? { subresource: options.subresource } : {}),
    });
    const key = this.keyOf(type, objectKey(obj));
    if (this.objects.has(key)) throw alreadyExists(type, obj.metadata.name ?? '');
    const copy = mutable(obj);
    delete copy.metadata.resourceVersion;
    return this.store(type, copy, undefined);
  }

  async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions = {}): Promise<T> {
    this.record({
      verb: 'update',
      resource: type.resource,
      key: keyString(objectKey(obj)),
      body: obj,
      ...(options.subresource ? { subresource: options.subresource } : {}),
    });
    const current = this.objects.get(this.keyOf(type, objectKey(obj)));
    if (!current) throw notFound(type, obj.metadata.name ?? '');
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion)
      throw conflict(type, obj.metadata.name ?? '');
    const next = options.subresource === 'status' ? { ...mutable(current), status: mutable(obj['status']) } : mutable(obj);
    return this.store(type, next as unknown as T, current);
  }

  async patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions = {}): Promise<T> {
    this.record({
      verb: 'patch',
      resource: type.resource,
      key: keyString(key),
      body: patch.body,
      ...(options.subresource ? { subresource: options.subresource } : {}),
    });
    if (patch.type !== 'merge' && patch.type !== 'strategic')
      throw new StatusError('UnsupportedMediaType', `the fake does not model ${patch.type} patches`);
    const current = this.objects.get(this.keyOf(type, key));
    if (!current) throw notFound(type, key.name);
    const wanted = (patch.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) throw conflict(type, key.name);
    let next = mergePatch(mutable(current), patch.body) as T;
    if (options.subresource === 'status') next = { ...mutable(current), status: next['status'] } as unknown as T;
    return this.store(type, next, current);
  }

  async delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, _options: DeleteOptions = {}): Promise<T> {
    this.record({ verb: 'delete', resource: type.resource, key: keyString(key) });
    const k = this.keyOf(type, key);
    const current = this.objects.get(k);
    if (!current) throw notFound(type, key.name);
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return current as unknown as T;
      const next = mutable(current);
      next.metadata.deletionTimestamp = rfc3339(this.clock.now());
      return this.store(type, next as unknown as T, current);
    }
    this.objects.delete(k);
    return current as unknown as T;
  }

  async deleteCollection<T extends KubeObject>(): Promise<ObjectList<T>> {
    throw new StatusError('MethodNotAllowed', 'the fake does not model deleteCollection');
  }

  private record(call: FakeCall): void {
    this.calls.push(call);
    const err = this.failures[call.verb]?.shift();
    if (err !== undefined) throw err;
  }

  private keyOf(type: ResourceType, key: ObjectKey): string {
    return `${type.group}/${type.resource}/${keyString(key)}`;
  }

  private store<T extends KubeObject>(type: ResourceType<T>, obj: T, previous: KubeObject | undefined): T {
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.uid ??= previous?.metadata.uid ?? `uid-${++this.uid}`;
    obj.metadata.creationTimestamp ??= previous?.metadata.creationTimestamp ?? rfc3339(this.clock.now());
    if (previous?.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = previous.metadata.deletionTimestamp;
    const key = this.keyOf(type, objectKey(obj));
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length) {
      this.objects.delete(key);
      return deepFreeze(obj);
    }
    const frozen = deepFreeze(obj);
    this.objects.set(key, frozen);
    return frozen;
  }
}
