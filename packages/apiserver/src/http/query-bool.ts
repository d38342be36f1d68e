/**
 * Boolean query parameters, read as Kubernetes converts them: a parameter that is present is
 * false only when its first value is `0` or `false` (in any case), and true for anything else,
 * `True`, `t`, `yes` and an empty value included. The official Python client sends `watch=True`.
 */

/** Whether a query value means false (`0`, `false` in any case). */
export function isFalseQueryValue(value: string): boolean {
  return value === '0' || value.toLowerCase() === 'false';
}

/** The boolean a query parameter holds; undefined when the parameter is absent. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !isFalseQueryValue(v);
}
