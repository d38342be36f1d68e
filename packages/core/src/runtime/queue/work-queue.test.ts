import { describe, expect, it } from 'vitest';
import { sleep } from '../../util/clock.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { ItemExponentialRateLimiter } from './rate-limiters.js';
import { WorkQueue, type WorkQueueMetricsSink } from './work-queue.js';

function drain<T extends NonNullable<unknown>>(q: WorkQueue<T>): T[] {
  const out: T[] = [];
  for (let item = q.tryGet(); item !== undefined; item = q.tryGet()) {
    out.push(item);
    q.done(item);
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so the concurrency test is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('WorkQueue', () => {
  it('hands items out in the order they were added', () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    for (const k of ['a', 'b', 'c']) q.add(k);
    expect(q.len()).toBe(3);
    expect(drain(q)).toEqual(['a', 'b', 'c']);
    expect(q.isIdle()).toBe(true);
  });

  it('processes an item added many times before processing only once', () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(drain(q)).toEqual(['a', 'b']);
  });

  it('never hands out an item being processed, and hands it out again after done if re-added', () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    q.add('a');
    const first = q.tryGet();
    expect(first).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    expect(q.tryGet()).toBeUndefined();
    q.done('a');
    expect(q.len()).toBe(1);
    expect(q.tryGet()).toBe('a');
    q.done('a');
    expect(q.isIdle()).toBe(true);
  });

  it('does not process an item again when it was not re-added while processing', () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    q.add('a');
    q.done(q.tryGet()!);
    expect(q.len()).toBe(0);
    q.done('a'); // a stray done is ignored
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting get when an item arrives, first waiter first', async () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    const w1 = q.get();
    const w2 = q.get();
    q.add('a');
    q.add('b');
    expect(await w1).toBe('a');
    expect(await w2).toBe('b');
    expect(q.tryGet()).toBeUndefined();
  });

  it('adds delayed items when their time comes, the earliest delay winning', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('b', 50);
    q.addAfter('a', 30);
    q.addAfter('b', 500);
    expect(q.delayedLen()).toBe(2);
    expect(q.nextDelayedAt()).toBe(clock.now() + 30);
    await clock.advance(29);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(drain(q)).toEqual(['a']);
    await clock.advance(20);
    expect(drain(q)).toEqual(['b']);
    await clock.advance(1000);
    expect(q.len()).toBe(0);
    expect(q.isIdle()).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('adds at once when the delay is zero or negative', () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(drain(q)).toEqual(['a', 'b']);
  });

  it('delays rate-limited adds per the rate limiter and resets on forget', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 10, maxDelayMs: 1000 }) });
    q.addRateLimited('a');
    q.addRateLimited('a'); // 20 ms, later than the pending 10 ms: the earlier one stays
    expect(q.numRequeues('a')).toBe(2);
    await clock.advance(10);
    expect(drain(q)).toEqual(['a']);
    q.addRateLimited('a'); // third failure: 40 ms
    await clock.advance(39);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(drain(q)).toEqual(['a']);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('ignores adds after shutdown, still hands out queued items, then resolves get with undefined', async () => {
    const clock = new VirtualClock();
    const q = new WorkQueue<string>({ clock });
    q.add('a');
    q.addAfter('late', 10);
    q.shutDown();
    q.add('b');
    q.addAfter('c', 5);
    expect(q.isShuttingDown()).toBe(true);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBeUndefined();
    await clock.advance(100);
    expect(q.len()).toBe(0);
  });

  it('resolves pending gets with undefined on shutdown', async () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    const w = q.get();
    q.shutDown();
    expect(await w).toBeUndefined();
  });

  it('shutDownWithDrain waits until every handed-out item is done', async () => {
    const q = new WorkQueue<string>({ clock: new VirtualClock() });
    q.add('a');
    q.add('b');
    const a = q.tryGet()!;
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    const b = q.tryGet()!; // queued items are still handed out while draining
    q.done(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done(b);
    await p;
    expect(drained).toBe(true);
  });

  it('reports adds, queue and work durations, retries and in-flight work to its metrics sink', async () => {
    const clock = new VirtualClock({ start: 0 });
    const seen = { added: 0, queued: [] as number[], worked: [] as number[], retried: 0 };
    const metrics: WorkQueueMetricsSink = {
      added: () => seen.added++,
      queued: (s) => seen.queued.push(s),
      worked: (s) => seen.worked.push(s),
      retried: () => seen.retried++,
    };
    const q = new WorkQueue<string>({ clock, metrics });
    q.add('a');
    q.add('a');
    q.addAfter('b', 1000);
    await clock.advance(2000);
    const a = q.tryGet()!;
    await clock.advance(500);
    const b = q.tryGet()!;
    await clock.advance(250);
    expect(q.inFlight()).toEqual({ count: 2, unfinishedSeconds: 0.75 + 0.25, longestRunningSeconds: 0.75 });
    q.done(a);
    q.done(b);
    expect(seen).toEqual({ added: 2, queued: [2, 1.5], worked: [0.75, 0.25], retried: 1 });
  });

  it('keeps its guarantees with many concurrent workers and producers on virtual time', async () => {
    const clock = new VirtualClock({ start: 0 });
    const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 1, maxDelayMs: 50 }) });
    const rand = prng(42);
    const keys = Array.from({ length: 20 }, (_, i) => `ns/item-${i}`);
    const holding = new Set<string>();
    const lastAdd = new Map<string, number>();
    const lastStart = new Map<string, number>();
    let violations = 0;
    let processed = 0;
    let seq = 0;

    const worker = async () => {
      for (;;) {
        const item = q.tryGet() ?? (await q.get());
        if (item === undefined) return;
        if (holding.has(item)) violations++;
        holding.add(item);
        lastStart.set(item, seq++);
        await sleep(clock, Math.floor(rand() * 20));
        holding.delete(item);
        processed++;
        if (rand() < 0.1) q.addRateLimited(item);
        else q.forget(item);
        q.done(item);
      }
    };
    const producer = async () => {
      for (let i = 0; i < 300; i++) {
        const k = keys[Math.floor(rand() * keys.length)]!;
        lastAdd.set(k, seq++);
        if (rand() < 0.2) q.addAfter(k, Math.floor(rand() * 30));
        else q.add(k);
        await sleep(clock, Math.floor(rand() * 5));
      }
    };
    const workers = Array.from({ length: 5 }, worker);
    const producers = [producer(), producer(), producer()];
    while (!(await Promise.race([Promise.all(producers).then(() => true), clock.settle().then(() => false)]))) {
      await clock.runNext();
    }
    // let every delayed add and retry play out
    while (!q.isIdle() || clock.pending() > 0) await clock.runNext();

    expect(violations).toBe(0);
    // stingy: far fewer reconciles than adds
    expect(processed).toBeLessThan(900);
    expect(processed).toBeGreaterThan(0);
    // nothing lost: every key's last processing started after its last add
    for (const [k, added] of lastAdd) expect(lastStart.get(k)!).toBeGreaterThan(added);

    const drained = q.shutDownWithDrain();
    await Promise.all(workers);
    await drained;
  });
});
