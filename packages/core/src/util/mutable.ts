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
  if (typeof value === 'object' && value !== null && needsFreezing(value)) freezeTree(value);
  return value;
}

// Whether an object is not frozen yet. A frozen object is never extensible, and testing that
// is a flag read, so the costly `Object.isFrozen` (a walk of the properties) runs only for
// the rare object that is non-extensible.
function needsFreezing(o: object): boolean {
  return Object.isExtensible(o) || !Object.isFrozen(o);
}

function freezeTree(o: object): void {
  Object.freeze(o);
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v: unknown = o[i];
      if (typeof v === 'object' && v !== null && needsFreezing(v)) freezeTree(v);
    }
  } else {
    for (const k in o) {
      const v: unknown = (o as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null && needsFreezing(v)) freezeTree(v);
    }
  }
}
