import type { Observable, Subscription } from 'rxjs';
import { keyString, type KubeObject } from '../../api/meta.js';
import type { Informer, InformerEvent } from '../informer/types.js';
import type { Logger } from '../logging/logger.js';
import type { Request } from '../reconciler/reconciler.js';
import type { Enqueue, EventHandler } from './event-handlers.js';
import type { Predicate } from './predicates.js';

/** What a source needs to run. */
export interface SourceContext {
  enqueue: Enqueue;
  log: Logger;
}

/**
 * Something that feeds requests to a controller: an informer through an event handler,
 * or any Observable of requests. The controller starts its sources before its workers and
 * waits for every source to sync first.
 */
export interface Source {
  /** Starts delivering requests; returns what stops it. */
  start(context: SourceContext): { unsubscribe(): void };
  /** Resolves once the source has delivered its initial state; rejects after `timeoutMs`. */
  waitForSync(timeoutMs: number): Promise<void>;
  /** True once synced. */
  hasSynced(): boolean;
  /** A short description for logs, e.g. `kind source: apps/v1 Deployment`. */
  toString(): string;
}

/**
 * The source of a watched kind: the informer's events, filtered by the predicates,
 * handed to the event handler. On start it also replays the informer's current cache as
 * `add` events (with `initial: true`), so a controller that joins a shared informer that
 * already synced still sees every object once.
 */
export function kindSource<T extends KubeObject>(
  informer: Informer<T>,
  handler: EventHandler<T>,
  predicates: readonly Predicate<T>[] = [],
): Source {
  const describe = `kind source: ${informer.type.group ? `${informer.type.group}/` : ''}${informer.type.version} ${informer.type.kind}`;
  return {
    start({ enqueue, log }) {
      const deliver = (e: InformerEvent<T>) => {
        try {
          for (const p of predicates) if (!p(e)) return;
          handler(e, enqueue);
        } catch (err) {
          log.error({ err, source: describe }, 'event handler failed');
        }
      };
      const sub: Subscription = informer.events.subscribe({
        next: deliver,
        error: (err: unknown) => log.error({ err, source: describe }, 'informer event stream failed'),
      });
      informer.start();
      for (const obj of informer.cache.list()) deliver({ type: 'add', object: obj, initial: true });
      return sub;
    },
    waitForSync: (timeoutMs) => informer.waitForCacheSync(timeoutMs),
    hasSynced: () => informer.hasSynced(),
    toString: () => describe,
  };
}

/**
 * A source of requests from anything outside the cluster's objects (a timer, a webhook, a
 * message bus): every emitted request is enqueued. Counts as synced at once.
 */
export function observableSource(requests: Observable<Request | readonly Request[]>, name = 'observable source'): Source {
  return {
    start({ enqueue, log }) {
      return requests.subscribe({
        next: (r) => {
          if (Array.isArray(r)) for (const x of r as readonly Request[]) enqueue(x);
          else enqueue(r as Request);
        },
        error: (err: unknown) => log.error({ err, source: name }, 'request source failed'),
      });
    },
    waitForSync: () => Promise.resolve(),
    hasSynced: () => true,
    toString: () => name,
  };
}

/** The queue key of a request: `namespace/name`, or `name` when cluster-scoped. */
export function requestKey(request: Request): string {
  return keyString(request);
}
