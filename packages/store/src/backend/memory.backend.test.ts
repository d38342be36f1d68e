import { describe, expect, it } from 'vitest';
import { StatusError, type KubeObject } from '@converge/core';
import type { BackendEvent } from './backend.js';
import { MemoryBackend } from './memory.backend.js';

const obj = (name: string, v = '1'): KubeObject => ({ metadata: { name }, data: { v } });

function collect(backend: MemoryBackend, prefix: string, afterRevision: number) {
  const events: BackendEvent[] = [];
  const errors: unknown[] = [];
  const watch = backend.watch({ prefix, afterRevision }, { events: (b) => events.push(...b), error: (e) => errors.push(e) });
  return { events, errors, watch };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('the memory backend', () => {
  it('gives every write the next revision and stamps it as the resourceVersion, freezing the object', async () => {
    const b = new MemoryBackend();
    const r0 = await b.currentRevision();
    const a = await b.create('/r/a', obj('a'));
    expect(a.ok && a.stored.revision).toBe(r0 + 1);
    if (!a.ok) throw new Error('create failed');
    expect(a.stored.object.metadata.resourceVersion).toBe(String(r0 + 1));
    expect(Object.isFrozen(a.stored.object.data)).toBe(true);
    expect((await b.create('/r/a', obj('a'))).ok).toBe(false);
    const u = await b.update('/r/a', obj('a', '2'), a.stored.revision);
    expect(u.ok).toBe(true);
    const stale = await b.update('/r/a', obj('a', '3'), a.stored.revision);
    expect(stale).toMatchObject({ ok: false, reason: 'conflict' });
    expect(await b.update('/r/none', obj('none'), 1)).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('delivers watch events in a later microtask, in order, once, and replays history after a revision', async () => {
    const b = new MemoryBackend();
    const start = await b.currentRevision();
    const live = collect(b, '/r/', start);
    await b.create('/r/a', obj('a'));
    await b.create('/other/x', obj('x'));
    const stored = await b.get('/r/a');
    await b.update('/r/a', obj('a', '2'), stored!.revision);
    const deleted = await b.delete('/r/a', stored!.revision + 2);
    expect(deleted.ok).toBe(true);
    await tick();
    expect(live.events.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['put', '/r/a', start + 1],
      ['put', '/r/a', start + 3],
      ['delete', '/r/a', start + 4],
    ]);
    expect(live.events[1]!.prev?.data).toEqual({ v: '1' });
    expect(live.events[2]!.object.metadata.resourceVersion).toBe(String(start + 4));
    const replay = collect(b, '/r/', start + 1);
    await tick();
    expect(replay.events.map((e) => e.revision)).toEqual([start + 3, start + 4]);
    live.watch.close();
    await b.create('/r/b', obj('b'));
    await tick();
    expect(live.events).toHaveLength(3);
  });

  it('forgets events beyond its history size: older watches and lists fail with 410', async () => {
    const b = new MemoryBackend({ historySize: 16 });
    const start = await b.currentRevision();
    for (let i = 0; i < 40; i++) await b.create(`/r/${i}`, obj(String(i)));
    const old = collect(b, '/r/', start);
    await tick();
    expect(old.errors).toHaveLength(1);
    expect((old.errors[0] as StatusError).code).toBe(410);
    await expect(b.list({ prefix: '/r/', revision: start + 5 })).rejects.toMatchObject({ code: 410 });
    const recent = collect(b, '/r/', (await b.currentRevision()) - 5);
    await tick();
    expect(recent.events).toHaveLength(5);
    expect(recent.errors).toHaveLength(0);
  });

  it('lists the state at a past revision by rolling newer changes back', async () => {
    const b = new MemoryBackend();
    for (const n of ['a', 'b', 'c']) await b.create(`/r/${n}`, obj(n));
    const at = await b.currentRevision();
    const a = await b.get('/r/a');
    await b.update('/r/a', obj('a', 'new'), a!.revision);
    await b.delete('/r/b', (await b.get('/r/b'))!.revision);
    await b.create('/r/bb', obj('bb'));
    const now = await b.list({ prefix: '/r/' });
    expect(now.items.map((i) => i.key)).toEqual(['/r/a', '/r/bb', '/r/c']);
    const then = await b.list({ prefix: '/r/', revision: at });
    expect(then.revision).toBe(at);
    expect(then.items.map((i) => [i.key, i.object.data])).toEqual([
      ['/r/a', { v: '1' }],
      ['/r/b', { v: '1' }],
      ['/r/c', { v: '1' }],
    ]);
    const page = await b.list({ prefix: '/r/', revision: at, startAfter: '/r/a', limit: 1 });
    expect(page.items.map((i) => i.key)).toEqual(['/r/b']);
    expect(page.more).toBe(true);
    expect(page.remaining).toBe(1);
  });

  it('pages in key order with the count of what remains', async () => {
    const b = new MemoryBackend();
    for (let i = 0; i < 10; i++) await b.create(`/r/${i}`, obj(String(i)));
    await b.create('/s/0', obj('s'));
    const first = await b.list({ prefix: '/r/', limit: 3 });
    expect(first.items.map((i) => i.key)).toEqual(['/r/0', '/r/1', '/r/2']);
    expect(first).toMatchObject({ more: true, remaining: 7 });
    const last = await b.list({ prefix: '/r/', startAfter: '/r/6', limit: 5 });
    expect(last.items.map((i) => i.key)).toEqual(['/r/7', '/r/8', '/r/9']);
    expect(last.more).toBe(false);
  });

  it('fails watches from before a compaction with 410', async () => {
    const b = new MemoryBackend();
    const start = await b.currentRevision();
    for (let i = 0; i < 5; i++) await b.create(`/r/${i}`, obj(String(i)));
    await b.compact(await b.currentRevision());
    const w = collect(b, '/r/', start);
    await tick();
    expect((w.errors[0] as StatusError).reason).toBe('Expired');
  });
});
