/**
 * Deeply freezes a value fresh from `JSON.parse` and returns it.
 *
 * Faster than `deepFreeze` (about twice, on Pods) because it may assume what parsed JSON
 * guarantees: plain objects and arrays, no cycles, nothing frozen yet. Use it only on values
 * nobody else has seen; anything else goes through `deepFreeze`.
 */
export function freezeParsed<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freezeTree(value as object);
  return value;
}

function freezeTree(v: object): void {
  Object.freeze(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) freezeTree(x);
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'object' && x !== null) freezeTree(x);
    }
  }
}
