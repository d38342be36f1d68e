import { describe, expect, it } from 'vitest';
import { sleep } from './clock.js';
import { VIRTUAL_EPOCH, VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('starts at the virtual epoch and moves only when advanced', async () => {
    const clock = new VirtualClock();
    expect(clock.now()).toBe(VIRTUAL_EPOCH);
    await clock.advance(1500);
    expect(clock.now()).toBe(VIRTUAL_EPOCH + 1500);
  });

  it('fires timers in due order, ties in the order they were set', async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('c'), 30);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('b1'), 20);
    clock.setTimeout(() => fired.push('b2'), 20);
    await clock.advance(25);
    expect(fired).toEqual(['a', 'b1', 'b2']);
    expect(clock.pending()).toBe(1);
    expect(clock.nextTimer()).toBe(30);
    await clock.advance(5);
    expect(fired).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('reports each timer time as now() while it fires', async () => {
    const clock = new VirtualClock({ start: 0 });
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 7);
    clock.setTimeout(() => seen.push(clock.now()), 3);
    await clock.advance(100);
    expect(seen).toEqual([3, 7]);
    expect(clock.now()).toBe(100);
  });

  it('does not fire cancelled timers', async () => {
    const clock = new VirtualClock();
    let fired = false;
    const t = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(t);
    clock.clearTimeout(t);
    expect(clock.pending()).toBe(0);
    await clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.nextTimer()).toBeUndefined();
  });

  it('fires timers that async work sets during the same advance', async () => {
    const clock = new VirtualClock({ start: 0 });
    const log: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 10);
        log.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(35);
    await done;
    expect(log).toEqual([10, 20, 30]);
  });

  it('runs every pending timer with runAll and refuses to loop forever', async () => {
    const clock = new VirtualClock({ start: 0 });
    let n = 0;
    clock.setTimeout(() => clock.setTimeout(() => n++, 50), 50);
    await clock.runAll();
    expect(n).toBe(1);
    expect(clock.now()).toBe(100);

    const tick = () => clock.setTimeout(tick, 1);
    tick();
    await expect(clock.runAll({ maxTimers: 100 })).rejects.toThrow(/still 1 timers pending/);
    const before = clock.now();
    await clock.runAll({ maxMs: 10 });
    expect(clock.now()).toBe(before + 10);
  });

  it('runNext jumps to the next timer and says when there is none', async () => {
    const clock = new VirtualClock({ start: 0 });
    let fired = 0;
    clock.setTimeout(() => fired++, 1000);
    expect(await clock.runNext()).toBe(true);
    expect(fired).toBe(1);
    expect(clock.now()).toBe(1000);
    expect(await clock.runNext()).toBe(false);
  });

  it('whenPending resolves once enough timers are set', async () => {
    const clock = new VirtualClock();
    let resolved = false;
    const p = clock.whenPending(2).then(() => (resolved = true));
    clock.setTimeout(() => {}, 5);
    await clock.settle();
    expect(resolved).toBe(false);
    clock.setTimeout(() => {}, 5);
    await p;
    expect(resolved).toBe(true);
  });

  it('fires zero-delay timers on advance(0)', async () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 0);
    await clock.settle();
    expect(fired).toBe(false);
    await clock.advance(0);
    expect(fired).toBe(true);
  });
});
