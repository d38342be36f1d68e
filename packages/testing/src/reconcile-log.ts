import { isTerminalError, keyString, type ReconcileContext, type Reconciler, type Request, type Result } from '@converge/core';

/**
 * How a reconcile ended, named after what the controller does next (the cases of the
 * `Reconciler` contract): `done` (forget), `requeueAfter` (again after a delay, back-off
 * reset), `requeue` (again after the rate limiter's back-off), `error` (a thrown error:
 * again after back-off), `terminal` (a `TerminalError`: not again until the next event).
 */
export type ReconcileOutcome = 'done' | 'requeueAfter' | 'requeue' | 'error' | 'terminal';

/** One reconcile a harness saw. */
export interface ReconcileRecord {
  /** The position of this reconcile among those of the harness, from 1. */
  readonly seq: number;
  readonly request: Request;
  /** `namespace/name`, or `name`. */
  readonly key: string;
  /** The controller's name. */
  readonly controller: string;
  /** Virtual time when it started and ended. */
  readonly startedAt: number;
  finishedAt?: number;
  /** The back-off count the controller passed in (`context.retries`). */
  readonly retries: number;
  /** The Result returned (`{}` when nothing was returned); unset when it threw or is still running. */
  result?: Result;
  /** What it threw, if it did. */
  error?: unknown;
  /** How it ended; unset while still running. */
  outcome?: ReconcileOutcome;
}

/** Classifies a reconcile's ending the way the controller will treat it. */
export function outcomeOf(result: Result | void | undefined, error: unknown, threw: boolean): ReconcileOutcome {
  if (threw) return isTerminalError(error) ? 'terminal' : 'error';
  if (result && typeof result.requeueAfter === 'number' && result.requeueAfter > 0) return 'requeueAfter';
  if (result && result.requeue) return 'requeue';
  return 'done';
}

/** Describes a record on one line, e.g. `default/web → requeueAfter 30s` or `default/web → error: Conflict ...`. */
export function describeRecord(r: ReconcileRecord, origin?: number): string {
  const at = origin === undefined ? '' : `+${formatMs(r.startedAt - origin)} `;
  let what: string;
  switch (r.outcome) {
    case undefined:
      what = 'still running';
      break;
    case 'requeueAfter':
      what = `requeueAfter ${formatMs(r.result!.requeueAfter!)}`;
      break;
    case 'error':
    case 'terminal':
      what = `${r.outcome}: ${r.error instanceof Error ? r.error.message : String(r.error)}`;
      break;
    default:
      what = r.outcome;
  }
  return `${at}${r.controller} ${r.key} → ${what}`;
}

/** Formats virtual milliseconds compactly: `250ms`, `30s`, `2m30s`, `1h0m`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h${Math.floor((ms % 3_600_000) / 60_000)}m`;
}

/**
 * The reconciles of one or more controllers, in the order they started. `wrap` returns a
 * reconciler that behaves exactly like the given one and records each call here.
 */
export class ReconcileLog {
  /** Every reconcile seen, oldest first. */
  readonly records: ReconcileRecord[] = [];
  private running = 0;
  private limit = Infinity;
  private held: (() => void)[] = [];

  /** How many reconciles have started and not finished. */
  inProgress(): number {
    return this.running;
  }

  /**
   * Holds every reconcile that would start once `count` reconciles are recorded, until
   * `release()`: lets a bound on reconciles be exact even when a runaway controller
   * reconciles many times within one turn of the event loop.
   */
  holdAfter(count: number): void {
    this.limit = count;
  }

  /** How many reconciles are held by `holdAfter`. */
  heldCount(): number {
    return this.held.length;
  }

  /** Lifts `holdAfter` and lets the held reconciles run. */
  release(): void {
    this.limit = Infinity;
    for (const go of this.held.splice(0)) go();
  }

  /** Returns a reconciler that forwards to `inner` and records every call. */
  wrap(inner: Reconciler): Reconciler {
    return {
      reconcile: async (request: Request, context: ReconcileContext) => {
        if (this.records.length >= this.limit) await new Promise<void>((resolve) => this.held.push(resolve));
        const record: ReconcileRecord = {
          seq: this.records.length + 1,
          request,
          key: keyString(request),
          controller: context.controller,
          startedAt: context.clock.now(),
          retries: context.retries,
        };
        this.records.push(record);
        this.running++;
        try {
          const result = await inner.reconcile(request, context);
          record.result = result ?? {};
          record.outcome = outcomeOf(result, undefined, false);
          return result;
        } catch (err) {
          record.error = err;
          record.outcome = outcomeOf(undefined, err, true);
          throw err;
        } finally {
          record.finishedAt = context.clock.now();
          this.running--;
        }
      },
    };
  }

  /** The records of one key (`namespace/name`, or a Request). */
  forKey(key: string | Request): ReconcileRecord[] {
    const k = typeof key === 'string' ? key : keyString(key);
    return this.records.filter((r) => r.key === k);
  }
}
