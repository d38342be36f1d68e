import type { ObjectKey } from '../../api/meta.js';
import { randomUUID } from 'node:crypto';
import { keyString } from '../../api/meta.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../logging/logger.js';

/**
 * What a reconciler is asked to reconcile: the key (namespace and name) of one object of
 * the controller's primary kind. Never the event that caused it: by the time the request
 * is processed the object may have changed again or be gone, so the reconciler reads the
 * current state (from a cache or the store) and acts on that.
 */
export type Request = ObjectKey;

/**
 * What a reconcile asks for when it returns normally.
 *
 * - `{}` (or nothing): done; the request's back-off is reset (`forget`).
 * - `{ requeueAfter: ms }`: reconcile again after that many milliseconds (of the
 *   controller's clock), e.g. to poll something outside the cluster; the back-off is reset.
 *   Wins over `requeue`.
 * - `{ requeue: true }`: reconcile again after the rate limiter's delay (back-off grows).
 */
export interface Result {
  requeue?: boolean;
  requeueAfter?: number;
}

/** What the controller gives each reconcile besides the request. */
export interface ReconcileContext {
  /** The name of the controller running this reconcile. */
  readonly controller: string;
  /** A logger whose lines carry `controller`, `key` (`namespace/name`) and `reconcileID`. */
  readonly log: Logger;
  /** Aborted when the controller stops (shutdown, or losing leadership): stop soon and return. */
  readonly signal: AbortSignal;
  /** The controller's clock (virtual in tests). */
  readonly clock: Clock;
  /** How many times this request was requeued with back-off since it last succeeded. */
  readonly retries: number;
  /** A unique id of this reconcile, also on every log line. */
  readonly reconcileID: string;
}

/**
 * Drives the actual state of one object toward its desired state.
 *
 * Reconciliation is level-based: the controller calls `reconcile` with a key, not with an
 * event; many events for the same object before it is processed lead to one reconcile; one
 * object is never reconciled by two workers at once. A reconciler must therefore read the
 * current state and be idempotent. A deleted object is reconciled too: reading it gives
 * NotFound, and the reconciler cleans up (or relies on owner references and finalizers).
 *
 * A request is reconciled again (requeued) in exactly these cases:
 * 1. `reconcile` throws (or rejects) with anything but a `TerminalError`: after the rate
 *    limiter's delay (by default per-key exponential 5 ms → 1000 s, and an overall
 *    10 qps / burst 100 bucket). Any returned Result is ignored.
 * 2. It returns `{ requeueAfter: ms }` with ms > 0: after that delay, with the back-off reset.
 * 3. It returns `{ requeue: true }` (and no `requeueAfter`): after the rate limiter's delay.
 * 4. A watched event maps to the key again (an informer add, update or delete that passes
 *    the predicates, for the object, an owned object, or through a mapping function),
 *    including while it is being reconciled: it is then reconciled once more afterwards.
 * 5. The controller starts (or its leader regains the lease): every object in the primary
 *    informer's cache is enqueued once.
 *
 * It is not requeued when it returns normally with neither field set, or throws a
 * `TerminalError` (counted in `controller_runtime_terminal_reconcile_errors_total` and
 * logged, then left until the next event). Requests still queued or delayed when the
 * controller stops are dropped; the next start lists everything again.
 */
export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<Result | void> | Result | void;
}

/**
 * An error a retry cannot fix (e.g. an invalid spec): the controller logs and counts it
 * and does not requeue the request. The next change of the object triggers a new reconcile.
 */
export class TerminalError extends Error {
  /** Wraps a message, or another error as `cause`. */
  constructor(messageOrCause: string | Error, options: { cause?: unknown } = {}) {
    const msg = typeof messageOrCause === 'string' ? messageOrCause : messageOrCause.message;
    super(`terminal error: ${msg}`, { cause: typeof messageOrCause === 'string' ? options.cause : messageOrCause });
    this.name = 'TerminalError';
  }
}

/** True when `err` is a TerminalError or wraps one (through `cause`). */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

/** A reconciler from a plain function. */
export function reconcilerFn(fn: Reconciler['reconcile']): Reconciler {
  return { reconcile: fn };
}

/** Options of `createReconcileContext`; everything has a default. */
export interface ReconcileContextOptions {
  controller?: string;
  /** The parent logger; the context's logger is its child with `controller`, `key` and `reconcileID`. Default silent. */
  logger?: Logger;
  signal?: AbortSignal;
  clock?: Clock;
  retries?: number;
}

/**
 * Makes the context a controller would pass when reconciling `request`, for calling a
 * reconciler directly (test harnesses, one-off runs).
 */
export function createReconcileContext(request: Request, options: ReconcileContextOptions = {}): ReconcileContext {
  const controller = options.controller ?? 'test';
  const reconcileID = randomUUID();
  return {
    controller,
    log: (options.logger ?? silentLogger()).child({ controller, key: keyString(request), reconcileID }),
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? realClock,
    retries: options.retries ?? 0,
    reconcileID,
  };
}
