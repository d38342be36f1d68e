import { describe, expect, it } from 'vitest';
import { LocalPeerDirectory } from './peer-directory.js';

describe('LocalPeerDirectory', () => {
  it('records the first identity claimed and refuses another one', async () => {
    const d = new LocalPeerDirectory();
    expect(await d.claimIdentity({ ca: 'c1', serviceAccountKey: 'k1' })).toEqual({ ok: true, created: true });
    expect(await d.claimIdentity({ ca: 'c1', serviceAccountKey: 'k1' })).toEqual({ ok: true, created: false });
    expect(await d.claimIdentity({ ca: 'c2', serviceAccountKey: 'k1' })).toEqual({
      ok: false,
      stored: { ca: 'c1', serviceAccountKey: 'k1' },
    });
  });

  it('lists announced servers sorted by id, tells watchers of changes, and forgets withdrawn ones', async () => {
    const d = new LocalPeerDirectory();
    let changes = 0;
    const unwatch = d.watch(() => changes++);
    const b = await d.announce({ id: 'b', address: '127.0.0.3', port: 6443 });
    await d.announce({ id: 'a', address: '127.0.0.2', port: 6443 });
    await Promise.resolve();
    expect((await d.list()).map((r) => r.id)).toEqual(['a', 'b']);
    expect(changes).toBe(2);
    await b.withdraw();
    await Promise.resolve();
    expect((await d.list()).map((r) => r.id)).toEqual(['a']);
    expect(changes).toBe(3);
    unwatch();
    await d.announce({ id: 'c', address: '127.0.0.4', port: 6443 });
    await Promise.resolve();
    expect(changes).toBe(3);
  });
});
