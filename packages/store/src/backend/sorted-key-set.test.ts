import { describe, expect, it } from 'vitest';
import { SortedKeySet } from './sorted-key-set.js';

describe('SortedKeySet', () => {
  it('iterates keys in order from any key, across many buckets, after random inserts and deletes', () => {
    const set = new SortedKeySet(4);
    const reference = new Set<string>();
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const k = `k${Math.floor(rand() * 500)
        .toString()
        .padStart(3, '0')}`;
      if (rand() < 0.3) expect(set.delete(k)).toBe(reference.delete(k));
      else expect(set.add(k)).toBe(!reference.has(k) && !!reference.add(k));
    }
    const sorted = [...reference].sort();
    expect(set.size).toBe(sorted.length);
    expect([...set.from('')]).toEqual(sorted);
    expect([...set.from('k250')]).toEqual(sorted.filter((k) => k >= 'k250'));
    expect([...set.from('k250', true)]).toEqual(sorted.filter((k) => k > 'k250'));
    for (const k of sorted.slice(0, 50)) expect(set.has(k)).toBe(true);
    expect(set.has('nope')).toBe(false);
  });

  it('counts keys between two keys', () => {
    const set = new SortedKeySet(2);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) set.add(k);
    expect(set.countBetween('b', 'f')).toBe(3);
    expect(set.countBetween('bb', 'z')).toBe(5);
    expect(set.rank('d')).toBe(3);
  });
});
