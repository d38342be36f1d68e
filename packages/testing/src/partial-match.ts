/**
 * A deep partial of `T` for assertions: every field optional, at any depth, and any value
 * may be an asymmetric matcher such as `expect.any(String)`.
 */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? readonly DeepPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Where an actual value differs from an expected partial one. */
export interface Mismatch {
  /** The dotted path of the first difference, e.g. `spec.template.spec.containers[0].image` (`''` for the root). */
  path: string;
  expected: unknown;
  actual: unknown;
}

interface AsymmetricMatcher {
  asymmetricMatch(other: unknown): boolean;
}

function isAsymmetric(v: unknown): v is AsymmetricMatcher {
  return v !== null && typeof v === 'object' && typeof (v as AsymmetricMatcher).asymmetricMatch === 'function';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Finds the first place where `actual` does not match `expected` the way `toMatchObject`
 * matches: objects by the fields `expected` names (recursively), arrays element by element
 * with equal lengths, asymmetric matchers by their `asymmetricMatch`, anything else with
 * `Object.is` (or the given equality). Returns undefined when it matches.
 */
export function firstMismatch(
  actual: unknown,
  expected: unknown,
  path = '',
  equals: (a: unknown, b: unknown) => boolean = Object.is,
): Mismatch | undefined {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual) ? undefined : { path, expected, actual };
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return { path, expected, actual };
    for (let i = 0; i < expected.length; i++) {
      const m = firstMismatch(actual[i], expected[i], join(path, i), equals);
      if (m) return m;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return { path, expected, actual };
    for (const key of Object.keys(expected)) {
      const m = firstMismatch((actual as Record<string, unknown>)[key], expected[key], join(path, key), equals);
      if (m) return m;
    }
    return undefined;
  }
  return equals(actual, expected) ? undefined : { path, expected, actual };
}
