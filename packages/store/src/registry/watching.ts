import { Observable, type Subscriber } from 'rxjs';
import {
  badRequest,
  deepFreeze,
  internalError,
  StatusError,
  type ClockTimer,
  type KubeObject,
  type WatchEvent,
  type WatchOptions,
} from '@converge/core';
import { INITIAL_EVENTS_END_ANNOTATION } from '@converge/core/informers';
import type { BackendEvent, BackendWatch } from '../backend/backend.js';
import type { KindInfo } from './kind-info.js';
import { parseResourceVersion } from './listing.js';
import type { StoreOps } from './store-ops.js';
import { compileSelection, type ObjectPredicate } from './selection.js';
import type { StorageConversion } from './storage-conversion.js';

const INITIAL_PAGE = 5000;

/**
 * Opens a watch with Kubernetes' semantics, as a cold Observable (one watch per subscription;
 * unsubscribing closes it):
 *
 * - resourceVersion unset or `"0"` (or `sendInitialEvents`): the current state first, as
 *   ADDED events, then every change; with `sendInitialEvents` a BOOKMARK annotated
 *   `k8s.io/initial-events-end` separates the two.
 * - resourceVersion N: every change after N, in order, each exactly once; a 410 Expired
 *   error when the history after N is no longer kept.
 * - selectors filter events; an object that stops (starts) matching is sent as DELETED
 *   (ADDED), as Kubernetes does.
 * - `allowWatchBookmarks`: a BOOKMARK with the newest resourceVersion every bookmark interval.
 * - `timeoutSeconds`: the Observable completes after that much clock time.
 */
export function watchObjects(reg: StoreOps, resolve: () => KindInfo, options: WatchOptions): Observable<WatchEvent> {
  return new Observable<WatchEvent>((subscriber) => {
    const state: WatchState = { closed: false, lastRevision: 0 };
    const stop = (): void => {
      state.closed = true;
      state.backendWatch?.close();
      if (state.timeout) reg.clock.clearTimeout(state.timeout);
      if (state.bookmarkTimer) reg.clock.clearTimeout(state.bookmarkTimer);
    };
    const fail = (err: unknown): void => {
      if (state.closed) return;
      stop();
      subscriber.error(err instanceof StatusError ? err : internalError(err instanceof Error ? err.message : String(err)));
    };
    try {
      const t = options.timeoutSeconds;
      if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0))
        throw badRequest('timeoutSeconds must be a non-negative number');
      if (t) {
        state.timeout = reg.clock.setTimeout(() => {
          if (state.closed) return;
          stop();
          subscriber.complete();
        }, t * 1000);
      }
      start(reg, resolve(), options, subscriber, state, fail).catch(fail);
    } catch (err) {
      fail(err);
    }
    return stop;
  });
}

interface WatchState {
  closed: boolean;
  lastRevision: number;
  backendWatch?: BackendWatch;
  timeout?: ClockTimer;
  bookmarkTimer?: ClockTimer;
}

async function start(
  reg: StoreOps,
  info: KindInfo,
  options: WatchOptions,
  out: Subscriber<WatchEvent>,
  state: WatchState,
  fail: (err: unknown) => void,
): Promise<void> {
  const predicate = compileSelection(info, options);
  const prefix = reg.layout.prefix(info, options.namespace);
  const rvParam = options.resourceVersion ?? '';
  const fromNow = rvParam === '' || rvParam === '0';
  const initial = options.sendInitialEvents ?? fromNow;
  let after: number;
  if (initial) {
    let page = await reg.backend.list({ prefix, limit: INITIAL_PAGE });
    after = page.revision;
    for (;;) {
      if (state.closed) return;
      for (const s of page.items) {
        const obj = info.conversion ? info.conversion.view(s.object) : s.object;
        if (!predicate || predicate(obj)) out.next({ type: 'ADDED', object: obj });
      }
      if (!page.more) break;
      page = await reg.backend.list({ prefix, limit: INITIAL_PAGE, revision: after, startAfter: page.items[page.items.length - 1]!.key });
    }
    if (options.sendInitialEvents === true) out.next(bookmark(info, after, true));
  } else {
    after = fromNow ? await reg.backend.currentRevision() : parseResourceVersion(rvParam);
  }
  if (state.closed) return;
  state.lastRevision = after;
  state.backendWatch = reg.backend.watch(
    { prefix, afterRevision: after },
    {
      events: (batch) => {
        if (!state.closed) deliver(batch, predicate, out, state, info.conversion);
      },
      error: fail,
    },
  );
  if (options.allowWatchBookmarks) {
    const tick = (): void => {
      if (state.closed || !state.backendWatch) return;
      state.lastRevision = Math.max(state.lastRevision, state.backendWatch.progressRevision());
      out.next(bookmark(info, state.lastRevision, false));
      state.bookmarkTimer = reg.clock.setTimeout(tick, reg.bookmarkIntervalMs);
    };
    state.bookmarkTimer = reg.clock.setTimeout(tick, reg.bookmarkIntervalMs);
  }
}

function deliver(
  batch: readonly BackendEvent[],
  predicate: ObjectPredicate | undefined,
  out: Subscriber<WatchEvent>,
  state: WatchState,
  conversion: StorageConversion | undefined,
): void {
  for (const e of batch) {
    state.lastRevision = e.revision;
    // A version stored as another sees (and selects on) its own view of each event.
    const object = conversion ? conversion.view(e.object) : e.object;
    if (e.type === 'delete') {
      if (!predicate || predicate(object)) out.next({ type: 'DELETED', object });
      continue;
    }
    if (!predicate) {
      out.next({ type: e.prev ? 'MODIFIED' : 'ADDED', object });
      continue;
    }
    const now = predicate(object);
    const before = e.prev ? predicate(conversion ? conversion.view(e.prev) : e.prev) : false;
    if (now) out.next({ type: before ? 'MODIFIED' : 'ADDED', object });
    else if (before) out.next({ type: 'DELETED', object });
  }
}

function bookmark(info: KindInfo, revision: number, initialEventsEnd: boolean): WatchEvent {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END_ANNOTATION]: 'true' };
  return { type: 'BOOKMARK', object: deepFreeze({ apiVersion: info.apiVersion, kind: info.def.kind, metadata }) };
}
