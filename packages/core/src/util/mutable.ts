/**
 * Returns a deep, mutable copy of a (frozen) object handed out by a store or cache.
 *
 * Objects from stores and informers are shared and deeply frozen; a reconciler that wants
 * to change one copies it with this first.
 */
export function mutable<T>(obj: T): T {
  return structuredClone(obj) as T;
}

/** Deeply freezes a JSON-like value in place and returns it. Already-frozen subtrees are skipped. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const v of value) deepFreeze(v);
  } else {
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}
