/**
 * A scripted ObjectStore for the informer's own tests: it keeps objects in a map with a
 * resourceVersion counter, answers LIST from it, and hands every WATCH to the test as a
 * handle the test drives (emit events, errors, completion).
 *
 * It does not model: label or field selectors (only recorded; namespaces are filtered),
 * pagination beyond `limit`/`continue` over the current map, history (a watch replays
 * nothing: the test emits what it wants), writes other than `put`/`remove`, validation, or
 * any verb but get/list/watch. It is no substitute for the registry (`@converge/store`);
 * integration tests against the registry live in `@converge/testing`.
 */
import { Observable, type Subscriber } from 'rxjs';
import { notFound, StatusError } from '../../src/api/errors.js';
import { keyString, objectKey, type KubeObject, type ObjectKey, type ObjectList, type WatchEvent } from '../../src/api/meta.js';
import type { ResourceType } from '../../src/api/resource-type.js';
import type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  ObjectStore,
  Patch,
  PatchOptions,
  SelectOptions,
  UpdateOptions,
  WatchOptions,
} from '../../src/store/object-store.js';
import { deepFreeze } from '../../src/util/mutable.js';

/** One open (or closed) watch, for the test to drive. */
export class WatchHandle {
  closed = false;
  /** Makes a handle for a watch opened with `options`. */
  constructor(
    readonly options: WatchOptions,
    private readonly subscriber: Subscriber<WatchEvent>,
  ) {}
  /** Delivers an event. */
  emit(type: WatchEvent['type'], object: KubeObject): void {
    this.subscriber.next({ type, object: deepFreeze(object) });
  }
  /** Delivers a bookmark at `resourceVersion`. */
  bookmark(resourceVersion: string): void {
    this.emit('BOOKMARK', { metadata: { resourceVersion } });
  }
  /** Fails the watch. */
  fail(err: unknown): void {
    this.subscriber.error(err);
  }
  /** Ends the watch normally. */
  end(): void {
    this.subscriber.complete();
  }
}

/** A hand-driven ObjectStore (see the file comment for what it does not model). */
export class ScriptedStore implements ObjectStore {
  readonly objects = new Map<string, KubeObject>();
  revision = 100;
  readonly lists: ListOptions[] = [];
  readonly watches: WatchHandle[] = [];
  /** Errors the next LIST calls throw, first first. */
  readonly listErrors: unknown[] = [];
  /** Errors the next WATCH calls raise at once, first first. */
  readonly watchErrors: unknown[] = [];

  /** Puts an object (new resourceVersion) and tells open watches. */
  put(obj: KubeObject, notify = true): KubeObject {
    const key = keyString(objectKey(obj));
    const existed = this.objects.has(key);
    const stored = deepFreeze({ ...obj, metadata: { uid: `uid-${key}`, ...obj.metadata, resourceVersion: String(++this.revision) } });
    this.objects.set(key, stored);
    if (notify) for (const w of this.open()) w.emit(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  /** Removes an object and tells open watches. */
  remove(key: ObjectKey, notify = true): void {
    const k = keyString(key);
    const old = this.objects.get(k);
    if (!old) return;
    this.objects.delete(k);
    const gone = deepFreeze({ ...old, metadata: { ...old.metadata, resourceVersion: String(++this.revision) } });
    if (notify) for (const w of this.open()) w.emit('DELETED', gone);
  }

  /** The watches still open. */
  open(): WatchHandle[] {
    return this.watches.filter((w) => !w.closed);
  }

  /** The newest watch. */
  lastWatch(): WatchHandle {
    const w = this.watches[this.watches.length - 1];
    if (!w) throw new Error('no watch was opened');
    return w;
  }

  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): Promise<T> {
    const o = this.objects.get(keyString(key));
    if (!o) throw notFound(type, key.name);
    return o as T;
  }

  async list<T extends KubeObject>(_type: ResourceType<T>, options: ListOptions = {}): Promise<ObjectList<T>> {
    this.lists.push(options);
    const err = this.listErrors.shift();
    if (err !== undefined) throw err;
    let items = [...this.objects.values()].filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace);
    let cont: string | undefined;
    const start = options.continue ? Number(options.continue) : 0;
    if (options.limit) {
      const end = start + options.limit;
      if (end < items.length) cont = String(end);
      items = items.slice(start, end);
    }
    return { metadata: { resourceVersion: String(this.revision), ...(cont ? { continue: cont } : {}) }, items: items as T[] };
  }

  watch<T extends KubeObject>(_type: ResourceType<T>, options: WatchOptions = {}): Observable<WatchEvent<T>> {
    return new Observable<WatchEvent<T>>((subscriber) => {
      const handle = new WatchHandle(options, subscriber as unknown as Subscriber<WatchEvent>);
      this.watches.push(handle);
      const err = this.watchErrors.shift();
      if (err !== undefined) subscriber.error(err);
      return () => {
        handle.closed = true;
      };
    });
  }

  async create<T extends KubeObject>(_type: ResourceType<T>, _obj: T, _options?: CreateOptions): Promise<T> {
    throw new StatusError('MethodNotAllowed', 'the scripted store does not model create');
  }
  async update<T extends KubeObject>(_type: ResourceType<T>, _obj: T, _options?: UpdateOptions): Promise<T> {
    throw new StatusError('MethodNotAllowed', 'the scripted store does not model update');
  }
  async patch<T extends KubeObject>(_type: ResourceType<T>, _key: ObjectKey, _patch: Patch, _options?: PatchOptions): Promise<T> {
    throw new StatusError('MethodNotAllowed', 'the scripted store does not model patch');
  }
  async delete<T extends KubeObject>(_type: ResourceType<T>, _key: ObjectKey, _options?: DeleteOptions): Promise<T> {
    throw new StatusError('MethodNotAllowed', 'the scripted store does not model delete');
  }
  async deleteCollection<T extends KubeObject>(_type: ResourceType<T>, _options?: SelectOptions & DeleteOptions): Promise<ObjectList<T>> {
    throw new StatusError('MethodNotAllowed', 'the scripted store does not model deleteCollection');
  }
}
