import type { IncomingMessage } from 'node:http';
import type { Subscriber } from 'rxjs';
import { StatusError } from '../api/errors.js';
import type { KubeObject, Status, WatchEvent } from '../api/meta.js';
import { freezeParsed, freezeParsedReusing } from './freeze-parsed.js';
import { transportError } from './http-errors.js';

/** What a watch line holds. */
interface WireEvent {
  type?: string;
  object?: unknown;
}

/** Options of `pipeWatchEvents`. */
export interface PipeWatchOptions {
  /** The server URL, for error messages. */
  server: string;
  /** Completes an event's object before it is frozen (adds apiVersion and kind). */
  fill: (obj: KubeObject) => void;
  /** The last known, deeply frozen version of an object, if any. */
  previous?: ((obj: KubeObject) => KubeObject | undefined) | undefined;
}

/**
 * Feeds a watch response (one JSON event per line) to a subscriber: each event's object is
 * parsed once and deeply frozen; an ERROR event carrying a Status becomes a StatusError (a
 * 410 one is the Gone/Expired error an informer relists on); the end of the response
 * completes the stream; a broken connection or a malformed line errors it.
 *
 * `fill` adds what list items may lack (apiVersion and kind) before freezing; `previous`, when
 * given, finds the last known (frozen) version of an object, whose deeply equal parts the
 * event's object then reuses (see `freezeParsedReusing`).
 */
export function pipeWatchEvents<T extends KubeObject>(
  res: IncomingMessage,
  subscriber: Subscriber<WatchEvent<T>>,
  options: PipeWatchOptions,
): void {
  const { server, fill, previous } = options;
  let pending = '';
  let done = false;
  const fail = (err: unknown): void => {
    if (done) return;
    done = true;
    res.destroy();
    subscriber.error(err);
  };
  const handle = (line: string): void => {
    let e: WireEvent;
    try {
      e = JSON.parse(line) as WireEvent;
    } catch {
      if (line.trim() === '') return;
      fail(new StatusError('InternalError', `malformed watch event from ${server}: ${line.slice(0, 200)}`));
      return;
    }
    if (e.type === 'ERROR') {
      const status = (e.object ?? {}) as Status;
      fail(StatusError.fromStatus(status, status.code ?? 500));
      return;
    }
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED' && e.type !== 'BOOKMARK') {
      fail(new StatusError('InternalError', `unknown watch event type ${JSON.stringify(e.type)} from ${server}`));
      return;
    }
    const object = e.object as KubeObject;
    if (typeof object !== 'object' || object === null) {
      fail(new StatusError('InternalError', `watch event without an object from ${server}`));
      return;
    }
    object.metadata ??= {};
    if (e.type === 'BOOKMARK') {
      subscriber.next({ type: e.type, object: freezeParsed(object) as T });
      return;
    }
    fill(object);
    const prior = previous?.(object);
    subscriber.next({ type: e.type, object: (prior === undefined ? freezeParsed(object) : freezeParsedReusing(object, prior)) as T });
  };
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (done) return;
    pending = pending.length === 0 ? chunk : pending + chunk;
    let start = 0;
    for (let nl = pending.indexOf('\n', start); nl >= 0 && !done; nl = pending.indexOf('\n', start)) {
      if (nl > start) handle(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = start === 0 ? pending : pending.slice(start);
  });
  res.on('end', () => {
    if (done) return;
    if (pending.trim()) handle(pending);
    if (done) return;
    done = true;
    subscriber.complete();
  });
  res.on('error', (err) => fail(transportError(server, err)));
  res.on('close', () => {
    if (!done && !res.complete) fail(transportError(server, Object.assign(new Error('watch connection closed'), { code: 'ECONNRESET' })));
  });
}
