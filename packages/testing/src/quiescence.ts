import type { ControllerRunner, VirtualClock } from '@converge/core/runtime';
import type { FakeStore } from './fake-store.js';
import { describeRecord, formatMs, type ReconcileLog, type ReconcileRecord } from './reconcile-log.js';

/** Options of `runUntilQuiescent`. */
export interface QuiescenceOptions {
  /** Fail once this many reconciles have run without settling; default 500. */
  maxReconciles?: number;
  /** Fail once this much virtual time has passed without settling; default 1 hour. */
  maxVirtualMs?: number;
  /**
   * Count requests delayed by `requeueAfter` or back-off as settled (e.g. a controller that
   * polls every minute is never idle); default false: wait for them, advancing virtual time.
   */
  allowDelayed?: boolean;
}

/** What a run until quiescence did. */
export interface QuiescenceReport {
  /** The reconciles of this run, in the order they started. */
  reconciles: ReconcileRecord[];
  /** Virtual milliseconds that passed. */
  virtualMs: number;
  /** Requests still delayed at the end (non-zero only with `allowDelayed`). */
  delayed: number;
}

/** What `runUntilQuiescent` drives: the clock, the controllers' runners and their reconcile log. */
export interface QuiescenceTarget {
  clock: VirtualClock;
  /** The controllers to wait for. */
  runners(): readonly ControllerRunner[];
  /** Their reconciles. */
  log: ReconcileLog;
  /** The store whose in-flight calls count as work (e.g. held by injected latency). */
  store?: FakeStore;
  /** A failure of the machinery (a controller whose caches never synced, a manager that stopped), if any. */
  failure?(): unknown;
}

/** Thrown when controllers do not settle within the bounds; its message says what kept them busy. */
export class QuiescenceError extends Error {
  /** Made by `runUntilQuiescent`. */
  constructor(
    message: string,
    /** The reconciles of the failed run. */
    readonly reconciles: readonly ReconcileRecord[],
  ) {
    super(message);
    this.name = 'QuiescenceError';
  }
}

interface QueueCounts {
  ready: number;
  processing: number;
  delayed: number;
  nextDelayedAt: number | undefined;
  unsynced: string[];
  stopped: string[];
}

function countQueues(runners: readonly ControllerRunner[]): QueueCounts {
  const c: QueueCounts = { ready: 0, processing: 0, delayed: 0, nextDelayedAt: undefined, unsynced: [], stopped: [] };
  for (const r of runners) {
    const q = r.queue;
    if (!q) {
      c.stopped.push(r.name);
      continue;
    }
    if (!r.hasSynced()) c.unsynced.push(r.name);
    c.ready += q.len();
    c.processing += q.inFlight().count;
    c.delayed += q.delayedLen();
    const next = q.nextDelayedAt();
    if (next !== undefined && (c.nextDelayedAt === undefined || next < c.nextDelayedAt)) c.nextDelayedAt = next;
  }
  return c;
}

const MAX_ROUNDS = 1_000_000;

/**
 * Runs controllers until they are quiescent: every queue empty, nothing being reconciled,
 * nothing delayed (unless `allowDelayed`), no store call in flight, and no event left to
 * deliver. Virtual time is advanced only when nothing else can happen: to the earliest
 * delayed request (a `requeueAfter`, a back-off) when the controllers are otherwise idle,
 * or to the clock's next timer when a reconcile waits on time (injected latency).
 *
 * Fails with a `QuiescenceError` once `maxReconciles` reconciles have run or `maxVirtualMs`
 * has passed, naming the keys that kept coming back and the last reconciles, so a
 * controller that never settles (it always writes, always requeues, or always fails)
 * fails clearly instead of hanging.
 */
export async function runUntilQuiescent(target: QuiescenceTarget, options: QuiescenceOptions = {}): Promise<QuiescenceReport> {
  const { clock, log } = target;
  const maxReconciles = options.maxReconciles ?? 500;
  const maxVirtualMs = options.maxVirtualMs ?? 3_600_000;
  const start = clock.now();
  const first = log.records.length;
  const records = () => log.records.slice(first);
  let last = '';
  const failWith = (why: string, counts: QueueCounts): never => {
    throw new QuiescenceError(explain(why, counts, records(), start, clock.now()), records());
  };
  log.holdAfter(first + maxReconciles);
  try {
    return await drive();
  } finally {
    log.release();
  }

  async function drive(): Promise<QuiescenceReport> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await clock.settle();
      const failure = target.failure?.();
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
      const runners = target.runners();
      const counts = countQueues(runners);
      if (log.heldCount() > 0) failWith(`${maxReconciles} reconciles ran and more were due (limit ${maxReconciles})`, counts);
      if (counts.stopped.length > 0) failWith(`controller(s) ${counts.stopped.join(', ')} are not running`, counts);
      const storeBusy = target.store?.inFlight() ?? 0;
      const signature = `${log.records.length}/${log.inProgress()}/${target.store?.lastAction()?.seq ?? 0}/${counts.ready}/${counts.processing}/${counts.delayed}/${clock.now()}`;
      if (signature !== last) {
        last = signature; // something moved: let it settle before deciding
        continue;
      }
      const busy = counts.ready + counts.processing + log.inProgress() + storeBusy > 0 || counts.unsynced.length > 0;
      let next: number | undefined;
      if (busy) {
        next = clock.nextTimer();
        if (next === undefined)
          failWith('work is in progress but waits on something other than virtual time (no timer is pending)', counts);
      } else if (counts.delayed === 0 || options.allowDelayed) {
        return { reconciles: records(), virtualMs: clock.now() - start, delayed: counts.delayed };
      } else {
        next = counts.nextDelayedAt;
      }
      if (next === undefined) failWith('the queues report delayed requests but no due time', counts);
      if (next! - start > maxVirtualMs)
        failWith(`${formatMs(maxVirtualMs)} of virtual time passed (the next step is at +${formatMs(next! - start)})`, counts);
      await clock.advanceTo(next!);
    }
    throw new QuiescenceError(`runUntilQuiescent: gave up after ${MAX_ROUNDS} rounds`, records());
  }
}

function explain(why: string, counts: QueueCounts, records: readonly ReconcileRecord[], start: number, now: number): string {
  const lines = [`controllers did not settle: ${why}, after ${records.length} reconciles and ${formatMs(now - start)} of virtual time.`];
  const next = counts.nextDelayedAt === undefined ? '' : ` (next at +${formatMs(counts.nextDelayedAt - start)})`;
  lines.push(
    `Queues now: ${counts.ready} ready, ${counts.processing} in progress, ${counts.delayed} delayed${next}${counts.unsynced.length ? `; not synced: ${counts.unsynced.join(', ')}` : ''}.`,
  );
  if (records.length > 0) {
    const byKey = new Map<string, { n: number; last: ReconcileRecord }>();
    for (const r of records) {
      const k = `${r.controller} ${r.key}`;
      const e = byKey.get(k);
      byKey.set(k, { n: (e?.n ?? 0) + 1, last: r });
    }
    const top = [...byKey.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 5);
    lines.push(`Most reconciled: ${top.map(([k, v]) => `${k} ×${v.n}`).join(', ')}.`);
    lines.push('Last reconciles:');
    for (const r of records.slice(-8)) lines.push(`  ${describeRecord(r, start)}`);
  }
  return lines.join('\n');
}
