/**
 * WATCH: streams one JSON line per event (`{"type":"ADDED","object":{...}}`) over a chunked
 * response until the store's watch ends (timeoutSeconds), fails (an `ERROR` event with the
 * Status, e.g. 410 Expired for a too-old resourceVersion), or the client leaves.
 *
 * Objects are sent as the client negotiated: whole, as Tables (one row per event; column
 * definitions only in the first, as Kubernetes does for `kubectl get -w`), or as
 * PartialObjectMetadata. A watcher that reads too slowly (more than `maxBufferedBytes`
 * waiting in its socket) is cut off, as Kubernetes drops watchers that fall behind; it
 * reconnects from its last resourceVersion.
 */
import type { Subscription } from 'rxjs';
import type { Clock, KubeObject, ObjectStore, ResourceDefinition, WatchEvent } from '@converge/core';
import { contentTypeOf } from '../http/media-types.js';
import { watchOptionsOf } from '../http/query-options.js';
import { toStatusError, typeMetaFirst, watchEventLine } from '../http/response-writer.js';
import { partialObjectMetadata, type TableConvertor } from '../tables/table-convertor.js';
import { includeObjectOf, type ObjectResponder } from './object-responder.js';
import { flushWarnings, type RequestContext } from './request-context.js';
import { verbsOf } from '../discovery/discovery-service.js';
import { verbNotAllowed } from './resource.handler.js';

const LINE_CACHE_SIZE = 2048;

/** Options of the watch handler. */
export interface WatchHandlerOptions {
  store: ObjectStore;
  responder: ObjectResponder;
  tables: TableConvertor;
  clock: Clock;
  /** The timeout of a watch that asks for none: between `minTimeoutSeconds` and twice that (default 1800). */
  minTimeoutSeconds?: number;
  /** Cut off a watcher with more than this many bytes waiting in its socket (default 16 MiB). */
  maxBufferedBytes?: number;
  /** Random numbers in [0, 1) for the default timeout. */
  random?: () => number;
  /**
   * The shortest time between two writes to one watcher, in real milliseconds (default 5): a
   * busy watch sends its events in batches instead of one TLS record each. An idle watch
   * sends an event as soon as the event loop is free. (I/O pacing, not API semantics: it uses
   * Node's timers, not the injected Clock.)
   */
  minFlushIntervalMs?: number;
  /** Counts the watch as a long-running request; returns the function ending it. */
  onStart?: (ctx: RequestContext) => () => void;
}

/** Serves WATCH requests. */
export class WatchHandler {
  /**
   * The encoded event lines of the objects most recently sent to some watcher, by event type.
   * Stores hand the same frozen object to every watch that sees an event, so with many watchers
   * each line is encoded (JSON and UTF-8) once and the same bytes are written to every socket.
   * Watchers see an event within moments of each other, so a small cache is enough (oldest
   * entries are dropped first).
   */
  private readonly lines = new Map<object, Partial<Record<string, Buffer>>>();

  constructor(private readonly o: WatchHandlerOptions) {}

  private line(type: string, obj: object): Buffer {
    let byType = this.lines.get(obj);
    let buf = byType?.[type];
    if (buf === undefined) {
      buf = Buffer.from(`{"type":"${type}","object":${JSON.stringify(typeMetaFirst(obj))}}\n`);
      if (Object.isFrozen(obj)) {
        if (!byType) {
          if (this.lines.size >= LINE_CACHE_SIZE) this.lines.delete(this.lines.keys().next().value!);
          this.lines.set(obj, (byType = {}));
        }
        byType[type] = buf;
      }
    }
    return buf;
  }

  /** Streams events until the watch ends; resolves when the response is finished. */
  serve(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    if (!verbsOf(def).includes('watch')) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: true });
    const q = ctx.url.searchParams;
    const options = watchOptionsOf(q, def.namespaced ? ctx.info.namespace || undefined : undefined, ctx.info.name || undefined);
    if (options.timeoutSeconds === undefined) {
      const min = this.o.minTimeoutSeconds ?? 1800;
      options.timeoutSeconds = Math.floor(min * (1 + (this.o.random ?? Math.random)()));
    }
    const includeObject = target.kind === 'table' ? includeObjectOf(q) : 'Metadata';
    let headersSent = false;
    const encode = (ev: WatchEvent): Buffer | string => {
      if (target.kind === 'table') {
        const obj = ev.type === 'BOOKMARK' ? [] : [ev.object];
        const table = this.o.tables.table(def, obj, {
          now: this.o.clock.now(),
          includeObject,
          version: target.version,
          noHeaders: headersSent,
          ...(ev.object.metadata?.resourceVersion ? { resourceVersion: ev.object.metadata.resourceVersion } : {}),
        });
        headersSent = true;
        return `{"type":"${ev.type}","object":${JSON.stringify(table)}}\n`;
      }
      if (target.kind === 'partial' && ev.type !== 'BOOKMARK') {
        return `{"type":"${ev.type}","object":${JSON.stringify(partialObjectMetadata(ev.object as KubeObject, target.version))}}\n`;
      }
      return this.line(ev.type, ev.object);
    };

    const res = ctx.res;
    const maxBuffered = this.o.maxBufferedBytes ?? 16 * 1024 * 1024;
    res.statusCode = 200;
    res.setHeader('Content-Type', target.kind === 'object' || target.kind === 'discovery' ? 'application/json' : contentTypeOf(target));
    res.setHeader('Cache-Control', 'no-cache, private');
    flushWarnings(ctx);
    res.flushHeaders();
    const end = this.o.onStart?.(ctx);

    return new Promise<void>((resolve) => {
      // prefer-const: `finish` may run (and read `sub`) while subscribe() is still delivering synchronously.
      // eslint-disable-next-line prefer-const
      let sub: Subscription | undefined;
      let finished = false;
      // Events arriving before the event loop next polls for I/O go out in one write (one TLS
      // record), and a busy watch writes at most once per minFlushIntervalMs.
      const minInterval = this.o.minFlushIntervalMs ?? 5;
      let pending: (Buffer | string)[] = [];
      let pendingBytes = 0;
      let scheduled = false;
      let lastFlush = 0;
      const flush = () => {
        scheduled = false;
        if (pending.length === 0 || finished || res.destroyed) return;
        lastFlush = performance.now();
        const parts = pending;
        pending = [];
        pendingBytes = 0;
        res.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
        if (res.writableLength > maxBuffered) {
          res.destroy();
          finish();
        }
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        sub?.unsubscribe();
        res.off('close', finish);
        end?.();
        if (!res.writableEnded) res.end();
        resolve();
      };
      res.once('close', finish);
      sub = this.o.store.watch(def, options).subscribe({
        next: (ev) => {
          if (finished) return;
          const chunk = encode(ev as WatchEvent);
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= 64 * 1024) flush();
          else if (!scheduled) {
            scheduled = true;
            const wait = lastFlush + minInterval - performance.now();
            if (wait <= 0) setImmediate(flush);
            else setTimeout(flush, wait);
          }
        },
        error: (err) => {
          flush();
          if (!finished && !res.destroyed) res.write(watchEventLine('ERROR', toStatusError(err).toStatus()));
          finish();
        },
        complete: () => {
          flush();
          finish();
        },
      });
      if (finished) sub.unsubscribe();
    });
  }
}
