import { Etcd3, type IKeyValue, type IOptions, type Watcher } from 'etcd3';
import { deepFreeze, expired, internalError, realClock, StatusError, type Clock, type KubeObject } from '@converge/core';
import { EtcdCompactor } from './etcd-compactor.js';
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

/** Options of the etcd backend. */
export interface EtcdBackendOptions {
  /** Client URLs of the etcd members, e.g. `['http://127.0.0.1:2379']`. */
  endpoints: string[];
  /**
   * Prepended to every key (default none), so that several stores can share one etcd, e.g.
   * tests. Registry keys already start with `/registry`.
   */
  keyPrefix?: string;
  /** More etcd3 client options (credentials, timeouts, fault handling). */
  clientOptions?: Omit<IOptions, 'hosts'>;
  /**
   * How often history is compacted, in clock milliseconds (default 5 minutes, as Kubernetes);
   * 0 turns the compactor off. Each round compacts to the revision of the previous round.
   */
  compactionIntervalMs?: number;
  /** The clock of the compactor (default: the wall clock). */
  clock?: Clock;
}

/**
 * The durable backend: objects are JSON values in etcd (through the `etcd3` client), keyed as
 * the registry lays them out (`/registry/<group>/<resource>/<namespace>/<name>`). etcd's mod
 * revision is the resourceVersion; creates, updates and deletes are transactions comparing
 * revisions; watches start from a revision and ask for previous values; reads and watches of
 * compacted history fail with 410 Expired.
 *
 * The resourceVersion is not stored in the value (as in Kubernetes): it is set from the mod
 * revision when a value is read.
 */
export class EtcdBackend implements Backend {
  readonly kind = 'etcd';
  private readonly client: Etcd3;
  private readonly keyPrefix: string;
  private readonly watchers = new Set<EtcdWatch>();
  private compacted = 0;

  private readonly compactor?: EtcdCompactor;

  constructor(options: EtcdBackendOptions) {
    this.client = new Etcd3({ ...(options.clientOptions ?? {}), hosts: options.endpoints });
    this.keyPrefix = options.keyPrefix ?? '';
    const interval = options.compactionIntervalMs ?? 5 * 60_000;
    if (interval > 0) {
      this.compactor = new EtcdCompactor({
        client: this.client,
        key: `${this.keyPrefix}/compact_rev_key`,
        intervalMs: interval,
        clock: options.clock ?? realClock,
        onCompacted: (revision) => this.noteCompacted(revision),
      });
      this.compactor.start();
    }
  }

  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: this.buf('/'), count_only: true }));
    return Number(res.header.revision);
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const res = await this.call(() => this.client.kv.range({ key: this.buf(key) }));
    const kv = res.kvs[0];
    return kv ? this.decode(key, kv) : undefined;
  }

  async list(options: BackendListOptions): Promise<BackendListResult> {
    const { prefix } = options;
    const start = options.startAfter !== undefined && options.startAfter >= prefix ? `${options.startAfter}\0` : prefix;
    const req: Parameters<typeof this.client.kv.range>[0] = { key: this.buf(start), range_end: this.buf(prefixEnd(prefix)) };
    if (options.limit && options.limit > 0) req.limit = options.limit;
    if (options.revision !== undefined) req.revision = options.revision;
    const res = await this.call(() => this.client.kv.range(req));
    const items = res.kvs.map((kv) => this.decode(this.unprefix(kv.key), kv));
    const result: BackendListResult = { items, revision: options.revision ?? Number(res.header.revision), more: res.more };
    if (res.more) result.remaining = Number(res.count) - items.length;
    return result;
  }

  async create(key: string, object: KubeObject): Promise<WriteResult> {
    const k = this.buf(key);
    const value = Buffer.from(JSON.stringify(object));
    // No failure branch: a failed create (rare) reads the key afterwards, which keeps the
    // common request and response small.
    const res = await this.client.kv
      .txn({ compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }], success: [{ request_put: { key: k, value } }] })
      .catch(rethrowMapped);
    if (!res.succeeded) return this.failedNow('exists', key);
    return { ok: true, stored: this.stamp(key, object, Number(res.header.revision)) };
  }

  async update(key: string, object: KubeObject, expectedRevision: number): Promise<WriteResult> {
    const k = this.buf(key);
    const value = Buffer.from(JSON.stringify(object));
    const res = await this.client.kv
      .txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
        success: [{ request_put: { key: k, value } }],
      })
      .catch(rethrowMapped);
    if (!res.succeeded) return this.failedNow('conflict', key);
    return { ok: true, stored: this.stamp(key, object, Number(res.header.revision)) };
  }

  async delete(key: string, expectedRevision: number): Promise<WriteResult> {
    const k = this.buf(key);
    const res = await this.client.kv
      .txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
      })
      .catch(rethrowMapped);
    if (!res.succeeded) return this.failedNow('conflict', key);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs?.[0];
    if (!prev) return { ok: false, reason: 'not-found' };
    const revision = Number(res.header.revision);
    const object = this.parse(prev);
    object.metadata.resourceVersion = String(revision);
    return { ok: true, stored: { key, object: deepFreeze(object), revision } };
  }

  watch(options: BackendWatchOptions, listener: BackendWatchListener): BackendWatch {
    const w = new EtcdWatch(this, options, listener);
    this.watchers.add(w);
    return w;
  }

  async compact(revision: number): Promise<void> {
    const current = await this.currentRevision();
    const target = Math.min(revision, current);
    if (target <= this.compacted) return;
    try {
      await this.call(() => this.client.kv.compact({ revision: target, physical: true }));
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 410)) throw err;
    }
    this.compacted = Math.max(this.compacted, target);
  }

  async close(): Promise<void> {
    this.compactor?.stop();
    for (const w of [...this.watchers]) w.close();
    this.client.close();
  }

  // ---- internals ----

  /** @internal */
  get etcd(): Etcd3 {
    return this.client;
  }

  /** @internal */
  unwatch(w: EtcdWatch): void {
    this.watchers.delete(w);
  }

  /** @internal */
  noteCompacted(revision: number): void {
    this.compacted = Math.max(this.compacted, revision);
  }

  /** @internal */
  buf(key: string): Buffer {
    return Buffer.from(this.keyPrefix + key);
  }

  /** @internal */
  unprefix(key: Buffer): string {
    return key.toString().slice(this.keyPrefix.length);
  }

  /** @internal Decodes a stored value into a frozen object stamped with its mod revision. */
  decode(key: string, kv: IKeyValue): StoredObject {
    const revision = Number(kv.mod_revision);
    const object = this.parse(kv);
    object.metadata.resourceVersion = String(revision);
    return { key, object: deepFreeze(object), revision };
  }

  /** @internal */
  parse(kv: IKeyValue): KubeObject {
    let object: KubeObject;
    try {
      object = JSON.parse(kv.value.toString()) as KubeObject;
    } catch (err) {
      throw internalError(`the value of ${kv.key.toString()} is not JSON: ${(err as Error).message}`);
    }
    if (typeof object !== 'object' || object === null) throw internalError(`the value of ${kv.key.toString()} is not an object`);
    if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
    return object;
  }

  /** @internal Runs an etcd call, mapping compaction and future-revision errors to Kubernetes' StatusErrors. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapEtcdError(err);
    }
  }

  private stamp(key: string, object: KubeObject, revision: number): StoredObject {
    object.metadata.resourceVersion = String(revision);
    return { key, object: deepFreeze(object), revision };
  }

  /** The outcome of a write whose compare failed: the key's current state, read now. */
  private async failedNow(reason: 'exists' | 'conflict', key: string): Promise<WriteResult> {
    const current = await this.get(key);
    if (!current) return { ok: false, reason: 'not-found' };
    return { ok: false, reason, current };
  }
}

function rethrowMapped(err: unknown): never {
  throw mapEtcdError(err);
}

/** Maps an etcd error to a StatusError: compacted history is 410 Expired. */
export function mapEtcdError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/required revision has been compacted/.test(message)) return expired(`too old resource version: ${message}`);
  if (/required revision is a future revision/.test(message)) {
    return new StatusError('Timeout', 'Timeout: Too large resource version', {
      code: 504,
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    });
  }
  return new StatusError('InternalError', `Internal error occurred: etcd: ${message}`, { code: 500 });
}

/** A watch on etcd: events of each watch response, translated, in order. */
class EtcdWatch implements BackendWatch {
  private watcher?: Watcher;
  private closed = false;
  private ended = false;
  private last: number;

  constructor(
    private readonly backend: EtcdBackend,
    private readonly options: BackendWatchOptions,
    private readonly listener: BackendWatchListener,
  ) {
    this.last = options.afterRevision;
    const watcher = backend.etcd
      .watch()
      .prefix(backend.buf(options.prefix))
      .startRevision(String(options.afterRevision + 1))
      .withPreviousKV()
      .watcher();
    this.watcher = watcher;
    watcher.on('data', (res) => {
      if (this.closed) return;
      if (res.compact_revision && res.compact_revision !== '0') {
        backend.noteCompacted(Number(res.compact_revision));
        this.fail(expired(`too old resource version: ${options.afterRevision} (${res.compact_revision})`));
        return;
      }
      const batch: BackendEvent[] = [];
      for (const e of res.events) batch.push(this.translate(e.type, e.kv, e.prev_kv));
      if (batch.length === 0) return;
      this.last = batch[batch.length - 1]!.revision;
      try {
        this.listener.events(batch);
      } catch (err) {
        setImmediate(() => {
          throw err;
        });
      }
    });
    // etcd3 resumes a broken watch stream from the revision of the last response header + 1,
    // which can skip events still to come (the header of a created or catch-up response is
    // the store's newest revision). Resume from the last event delivered instead: its own
    // listeners run first, so this correction wins.
    const resumeAfterLastEvent = (): void => {
      watcher.request.start_revision = String(this.last + 1);
    };
    watcher.on('connected', resumeAfterLastEvent);
    watcher.on('data', resumeAfterLastEvent);
    watcher.on('error', (err) => {
      // etcd3 has already detached a watcher that errors: cancelling it again would make the
      // server answer for a watch id the client no longer knows (an uncaught client error).
      this.ended = true;
      if (this.closed) return;
      void this.explain(err).then((e) => this.fail(e));
    });
  }

  progressRevision(): number {
    return this.last;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backend.unwatch(this);
    if (!this.ended) void this.watcher?.cancel().catch(() => undefined);
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.close();
    this.listener.error(err);
  }

  /** A watcher ended by etcd: 410 when its start revision was compacted, else an InternalError. */
  private async explain(err: unknown): Promise<StatusError> {
    try {
      await this.backend.call(() =>
        this.backend.etcd.kv.range({
          key: this.backend.buf(this.options.prefix),
          revision: this.options.afterRevision + 1,
          count_only: true,
        }),
      );
    } catch (probe) {
      if (probe instanceof StatusError && probe.code === 410) return expired(`too old resource version: ${this.options.afterRevision}`);
    }
    return mapEtcdError(err);
  }

  private translate(type: string, kv: IKeyValue, prev: IKeyValue | undefined): BackendEvent {
    const key = this.backend.unprefix(kv.key);
    const revision = Number(kv.mod_revision);
    if (type === 'Delete') {
      const object = prev ? this.backend.parse(prev) : tombstone(key);
      object.metadata.resourceVersion = String(revision);
      const prevObject = prev ? this.backend.decode(key, prev).object : undefined;
      return prevObject
        ? { type: 'delete', key, object: deepFreeze(object), prev: prevObject, revision }
        : { type: 'delete', key, object: deepFreeze(object), revision };
    }
    const object = this.backend.decode(key, kv).object;
    if (prev) return { type: 'put', key, object, prev: this.backend.decode(key, prev).object, revision };
    // Without a previous value (compacted away), an update is still an update.
    return kv.version !== '1' ? { type: 'put', key, object, prev: object, revision } : { type: 'put', key, object, revision };
  }
}

function tombstone(key: string): KubeObject {
  const parts = key.split('/');
  return { metadata: { name: parts[parts.length - 1] ?? '' } };
}
