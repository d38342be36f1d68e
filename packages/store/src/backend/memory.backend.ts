import { deepFreeze, expired, type KubeObject } from '@converge/core';
import {
  prefixEnd,
  type Backend,
  type BackendEvent,
  type BackendListOptions,
  type BackendListResult,
  type BackendWatch,
  type BackendWatchListener,
  type BackendWatchOptions,
  type StoredObject,
  type WriteResult,
} from './backend.js';
import { SortedKeySet } from './sorted-key-set.js';

/** Options of the memory backend. */
export interface MemoryBackendOptions {
  /**
   * How many events are kept for watches and lists that resume from a past revision
   * (default 100,000); a watch from before them fails with 410 Expired.
   */
  historySize?: number;
}

/**
 * The embedded backend: objects live in this process, deeply frozen and shared by every
 * reader (no copy, no JSON), with one global revision counter and a bounded event history.
 *
 * Writes are O(log n) (a hash map plus a bucketed sorted key set); a list iterates keys in
 * order from its prefix or continue key without sorting; watchers get their events in a
 * microtask after the write, in revision order, each exactly once.
 */
export class MemoryBackend implements Backend {
  readonly kind = 'memory';

  private readonly objects = new Map<string, StoredObject>();
  private readonly keys = new SortedKeySet();
  /** The newest revision; every write adds exactly one, so kept events have contiguous revisions. */
  private revision = 1;
  /** Ring buffer: the event of revision r is at `r % capacity` while r >= oldestEvent(). */
  private readonly history: (BackendEvent | undefined)[];
  private readonly capacity: number;
  /** Events before this revision were compacted away. */
  private historyStart = 2;
  private readonly watchers = new Set<MemoryWatch>();
  private readonly pending: MemoryWatch[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(options: MemoryBackendOptions = {}) {
    this.capacity = Math.max(16, options.historySize ?? 100_000);
    this.history = new Array<BackendEvent | undefined>(this.capacity);
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.revision);
  }

  compactedRevision(): Promise<number> {
    return Promise.resolve(this.oldestEvent() - 1);
  }

  get(key: string): Promise<StoredObject | undefined> {
    return Promise.resolve(this.objects.get(key));
  }

  /** Reads one key synchronously. */
  peek(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  list(options: BackendListOptions): Promise<BackendListResult> {
    try {
      return Promise.resolve(this.listNow(options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  create(key: string, object: KubeObject): Promise<WriteResult> {
    try {
      return Promise.resolve(this.createNow(key, object));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  createNow(key: string, object: KubeObject): WriteResult {
    this.assertOpen();
    // The sorted key set answers "is it new?" while inserting, sparing a hash lookup.
    if (!this.keys.add(key)) return { ok: false, reason: 'exists', current: this.objects.get(key)! };
    return { ok: true, stored: this.put(key, object, undefined) };
  }

  update(key: string, object: KubeObject, expectedRevision: number): Promise<WriteResult> {
    const current = this.objects.get(key);
    if (!current) return Promise.resolve({ ok: false, reason: 'not-found' });
    if (current.revision !== expectedRevision) return Promise.resolve({ ok: false, reason: 'conflict', current });
    return Promise.resolve({ ok: true, stored: this.put(key, object, current) });
  }

  delete(key: string, expectedRevision: number): Promise<WriteResult> {
    const current = this.objects.get(key);
    if (!current) return Promise.resolve({ ok: false, reason: 'not-found' });
    if (current.revision !== expectedRevision) return Promise.resolve({ ok: false, reason: 'conflict', current });
    this.assertOpen();
    const revision = ++this.revision;
    const prev = current.object;
    const object = deepFreeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(revision) } });
    this.objects.delete(key);
    this.keys.delete(key);
    this.record({ type: 'delete', key, object, prev, revision });
    return Promise.resolve({ ok: true, stored: { key, object, revision } });
  }

  watch(options: BackendWatchOptions, listener: BackendWatchListener): BackendWatch {
    const w = new MemoryWatch(this, options.prefix, options.afterRevision, listener);
    if (this.closed) {
      w.fail(new Error('the memory backend is closed'));
      return w;
    }
    if (options.afterRevision < this.oldestEvent() - 1) {
      w.fail(expired(`too old resource version: ${options.afterRevision} (${this.oldestEvent() - 1})`));
      return w;
    }
    for (let r = options.afterRevision + 1; r <= this.revision; r++) {
      const e = this.history[r % this.capacity]!;
      if (e.key.startsWith(options.prefix)) w.queue.push(e);
    }
    this.watchers.add(w);
    if (w.queue.length > 0) this.schedule(w);
    return w;
  }

  compact(revision: number): Promise<void> {
    this.historyStart = Math.max(this.historyStart, Math.min(revision, this.revision));
    for (let r = this.revision - this.capacity + 1; r < this.historyStart; r++) if (r >= 0) this.history[r % this.capacity] = undefined;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    for (const w of [...this.watchers]) w.fail(new Error('the memory backend is closed'));
    return Promise.resolve();
  }

  /** The number of stored objects. */
  get size(): number {
    return this.objects.size;
  }

  /** @internal */
  unwatch(w: MemoryWatch): void {
    this.watchers.delete(w);
  }

  /** @internal */
  currentRevisionNow(): number {
    return this.revision;
  }

  private oldestEvent(): number {
    return Math.max(this.historyStart, this.revision - this.capacity + 1);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the memory backend is closed');
  }

  private put(key: string, object: KubeObject, current: StoredObject | undefined): StoredObject {
    this.assertOpen();
    const revision = ++this.revision;
    object.metadata.resourceVersion = String(revision);
    deepFreeze(object);
    if (!current) {
      // A creation's event doubles as the stored entry (it has the StoredObject's fields):
      // one allocation instead of two on the hottest path.
      const event: BackendEvent = { type: 'put', key, object, revision };
      this.objects.set(key, event);
      this.record(event);
      return event;
    }
    // An update's event keeps the previous version alive; the stored entry must not.
    const stored: StoredObject = { key, object, revision };
    this.objects.set(key, stored);
    this.record({ type: 'put', key, object, prev: current.object, revision });
    return stored;
  }

  private record(event: BackendEvent): void {
    this.history[event.revision % this.capacity] = event;
    for (const w of this.watchers) {
      if (event.revision > w.after && event.key.startsWith(w.prefix)) {
        w.queue.push(event);
        if (w.queue.length === 1) this.schedule(w);
      }
    }
  }

  private schedule(w: MemoryWatch): void {
    this.pending.push(w);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const pending = this.pending.splice(0);
    for (const w of pending) w.deliver();
  }

  private listNow(options: BackendListOptions): BackendListResult {
    const { prefix } = options;
    const end = prefixEnd(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const current = this.revision;
    const at = options.revision ?? current;
    const start = options.startAfter !== undefined && options.startAfter >= prefix ? options.startAfter : undefined;
    const items: StoredObject[] = [];
    if (at >= current) {
      let more = false;
      let last = '';
      for (const key of start !== undefined ? this.keys.from(start, true) : this.keys.from(prefix)) {
        if (key >= end) break;
        if (items.length >= limit) {
          more = true;
          break;
        }
        items.push(this.objects.get(key)!);
        last = key;
      }
      const result: BackendListResult = { items, revision: current, more };
      if (more) result.remaining = this.keys.countBetween(last, end);
      return result;
    }
    if (at < this.oldestEvent() - 1) throw expired(`too old resource version: ${at} (${this.oldestEvent() - 1})`);
    // Roll the newer changes back: the earliest change after `at` tells each key's state at `at`.
    const overlay = new Map<string, KubeObject | undefined>();
    for (let r = current; r > at; r--) {
      const e = this.history[r % this.capacity]!;
      if (e.key >= prefix && e.key < end) overlay.set(e.key, e.prev);
    }
    const extra = [...overlay.keys()].filter((k) => !this.objects.has(k) && (start === undefined || k > start)).sort();
    let x = 0;
    let more = false;
    let remaining = 0;
    const take = (key: string, obj: KubeObject | undefined): void => {
      if (!obj) return;
      if (items.length >= limit) {
        more = true;
        remaining++;
        return;
      }
      items.push({ key, object: obj, revision: Number(obj.metadata.resourceVersion) });
    };
    for (const key of start !== undefined ? this.keys.from(start, true) : this.keys.from(prefix)) {
      if (key >= end) break;
      while (x < extra.length && extra[x]! < key) take(extra[x]!, overlay.get(extra[x++]!));
      take(key, overlay.has(key) ? overlay.get(key) : this.objects.get(key)!.object);
    }
    while (x < extra.length) take(extra[x]!, overlay.get(extra[x++]!));
    const result: BackendListResult = { items, revision: at, more };
    if (more) result.remaining = remaining;
    return result;
  }
}

/** A watch on the memory backend: a queue drained in a microtask. */
class MemoryWatch implements BackendWatch {
  queue: BackendEvent[] = [];
  private delivered: number;
  private closed = false;

  constructor(
    private readonly backend: MemoryBackend,
    readonly prefix: string,
    readonly after: number,
    private readonly listener: BackendWatchListener,
  ) {
    this.delivered = after;
  }

  deliver(): void {
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.delivered = batch[batch.length - 1]!.revision;
    try {
      this.listener.events(batch);
    } catch (err) {
      setImmediate(() => {
        throw err;
      });
    }
  }

  fail(err: unknown): void {
    if (this.closed) return;
    this.close();
    queueMicrotask(() => this.listener.error(err));
  }

  progressRevision(): number {
    if (this.queue.length === 0) this.delivered = Math.max(this.delivered, this.backend.currentRevisionNow());
    return this.delivered;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.backend.unwatch(this);
  }
}
