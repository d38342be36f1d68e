import { describe, expect, it } from 'vitest';
import { ConfigMaps } from '@converge/core';
import { FakeStore } from '@converge/testing';
import { rateLimitedWrites } from './rate-limited-store.js';

describe('rateLimitedWrites', () => {
  it('lets a burst through at once and then one write per 1/qps seconds, leaving reads alone', async () => {
    const store = new FakeStore();
    await store.ready();
    const limited = rateLimitedWrites(store, { qps: 2, burst: 3, clock: store.clock });
    const t0 = store.clock.now();
    const done: number[] = [];
    const writes = Array.from({ length: 5 }, (_, i) =>
      limited.create(ConfigMaps, { metadata: { name: `cm-${i}`, namespace: 'default' } }).then(() => done.push(store.clock.now() - t0)),
    );
    await store.clock.settle();
    expect(done).toEqual([0, 0, 0]);
    expect((await limited.list(ConfigMaps, { namespace: 'default' })).items).toHaveLength(3);
    await store.clock.advance(500);
    expect(done).toEqual([0, 0, 0, 500]);
    await store.clock.advance(500);
    await Promise.all(writes);
    expect(done).toEqual([0, 0, 0, 500, 1000]);
  });
});
