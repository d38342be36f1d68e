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

/**
 * Deeply freezes a value fresh from `JSON.parse`, reusing the parts of `previous` (an older,
 * deeply frozen version of it, such as the cached copy of a watched object) that are deeply
 * equal: those parts of the value are replaced by `previous`'s, and `previous` itself is
 * returned when the whole value equals it.
 *
 * The result is deeply equal to the parsed value and deeply frozen, like `freezeParsed`'s;
 * it only shares memory with `previous`. A watch event usually changes a small part of an
 * object (its resourceVersion, a condition), so most of the freshly parsed copy is dropped
 * at once instead of being retained (and moved by the garbage collector) for as long as the
 * object stays cached, and the unchanged parts need no freezing.
 *
 * Plain JSON data is compared (own enumerable string keys, `===` on scalars); a part of
 * `previous` that is not a plain object or array is never reused.
 */
export function freezeParsedReusing<T>(value: T, previous: unknown): T {
  if (typeof value !== 'object' || value === null) return value;
  if (typeof previous !== 'object' || previous === null) {
    freezeTree(value as object);
    return value;
  }
  return freezeReusing(value as object, previous) as T;
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

/**
 * Freezes `n` (parsed, unfrozen) and returns it, with each child deeply equal to the child
 * of `p` (frozen) at the same key or index replaced by `p`'s; returns `p` instead when `n`
 * is deeply equal to it as a whole.
 */
function freezeReusing(n: object, p: object): object {
  let same = true;
  if (Array.isArray(n)) {
    if (!Array.isArray(p)) {
      freezeTree(n);
      return n;
    }
    const pa = p as unknown[];
    if (pa.length !== n.length) same = false;
    for (let i = 0; i < n.length; i++) {
      const x: unknown = n[i];
      const y: unknown = i < pa.length ? pa[i] : undefined;
      if (!freezeChildReusing(x, y)) same = false;
      else if (x !== y) n[i] = y;
    }
    if (same && Object.getPrototypeOf(p) !== Array.prototype) same = false;
  } else {
    if (Array.isArray(p)) {
      freezeTree(n);
      return n;
    }
    const no = n as Record<string, unknown>;
    const po = p as Record<string, unknown>;
    let count = 0;
    for (const k in no) {
      count++;
      const x = no[k];
      // `__proto__` read from `p` would be its prototype, and assigned would set `n`'s.
      const y = k === '__proto__' ? undefined : po[k];
      if (!freezeChildReusing(x, y)) same = false;
      else if (x !== y) no[k] = y;
    }
    if (same) {
      // Every key of `n` is in `p` with an equal value; equal when `p` has no others.
      for (const _ in po) count--;
      same = count === 0 && Object.getPrototypeOf(p) === Object.prototype;
    }
  }
  if (same) return p;
  Object.freeze(n);
  return n;
}

/**
 * Freezes `x`, one value of a fresh object or array, against `y`, the value at the same key
 * or index of the previous version; true when `y` is deeply equal to it and may stand for it
 * (the caller then puts `y` in place of an object `x`).
 */
function freezeChildReusing(x: unknown, y: unknown): boolean {
  if (typeof x !== 'object' || x === null) return x === y;
  if (typeof y === 'object' && y !== null) return freezeReusing(x, y) === y;
  freezeTree(x);
  return false;
}
