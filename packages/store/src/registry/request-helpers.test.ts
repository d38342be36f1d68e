import { describe, expect, it } from 'vitest';
import { flatRandomUuid } from './request-helpers.js';

describe('flatRandomUuid', () => {
  it('answers distinct version 4 UUIDs in canonical form, across many batches of entropy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const uid = flatRandomUuid();
      expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(uid);
    }
    expect(seen.size).toBe(1000);
  });

  it('answers strings that outlive later calls (no shared buffer behind them)', () => {
    const first = flatRandomUuid();
    const copy = `${first}`;
    for (let i = 0; i < 300; i++) flatRandomUuid();
    expect(first).toBe(copy);
  });
});
