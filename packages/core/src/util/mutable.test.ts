import { describe, expect, it } from 'vitest';
import { deepFreeze, mutable } from './mutable.js';

describe('deepFreeze', () => {
  it('freezes every object and array of a JSON tree and returns the same value', () => {
    const tree = { a: { b: [1, { c: 'x' }], d: {} }, e: [[]] };
    expect(deepFreeze(tree)).toBe(tree);
    expect(Object.isFrozen(tree)).toBe(true);
    expect(Object.isFrozen(tree.a)).toBe(true);
    expect(Object.isFrozen(tree.a.b)).toBe(true);
    expect(Object.isFrozen(tree.a.b[1])).toBe(true);
    expect(Object.isFrozen(tree.a.d)).toBe(true);
    expect(Object.isFrozen(tree.e[0])).toBe(true);
  });

  it('freezes objects that were only sealed or made non-extensible, and what they hold', () => {
    const inner = { x: 1 };
    const sealed = Object.seal({ inner });
    const closed = Object.preventExtensions({ y: { z: 2 } });
    deepFreeze({ sealed, closed });
    expect(Object.isFrozen(sealed)).toBe(true);
    expect(Object.isFrozen(inner)).toBe(true);
    expect(Object.isFrozen(closed)).toBe(true);
    expect(Object.isFrozen(closed.y)).toBe(true);
  });

  it('skips subtrees that are already frozen and terminates on cycles through them', () => {
    const shared = Object.freeze({ open: { n: 1 } });
    deepFreeze({ shared });
    // Already frozen: its (unfrozen) insides are left alone, as before.
    expect(Object.isFrozen(shared.open)).toBe(false);
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => deepFreeze(a)).not.toThrow();
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('answers primitives and null unchanged', () => {
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze('s')).toBe('s');
  });

  it('leaves a mutable copy of a frozen tree open to changes', () => {
    const frozen = deepFreeze({ a: { b: 1 } });
    const copy = mutable(frozen);
    copy.a.b = 2;
    expect(copy.a.b).toBe(2);
    expect(frozen.a.b).toBe(1);
  });
});
