/**
 * The small subset of kubectl's JSONPath that printer columns and selectable fields of
 * custom resources use: `.spec.replicas`, `.status.conditions[0].type`,
 * `.metadata.labels['app.kubernetes.io/name']`, `.spec.items[*].name`, with or without `{}`.
 */

type Step = { key: string } | { index: number } | { all: true };

const cache = new Map<string, Step[]>();

/** Parses a JSONPath of that subset into steps; throws on syntax it does not support. */
export function parseJSONPath(path: string): Step[] {
  let steps = cache.get(path);
  if (steps) return steps;
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  steps = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      let j = i + 1;
      while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
      const key = p.slice(i + 1, j);
      if (!key) throw new Error(`invalid JSONPath ${path}: empty field name`);
      steps.push({ key });
      i = j;
    } else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new Error(`invalid JSONPath ${path}: unclosed [`);
      const inner = p.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else throw new Error(`invalid JSONPath ${path}: unsupported subscript [${inner}]`);
      i = end + 1;
    } else {
      throw new Error(`invalid JSONPath ${path}: unexpected ${c}`);
    }
  }
  cache.set(path, steps);
  return steps;
}

/** Evaluates a JSONPath against a value: the list of values it selects (empty when none). */
export function evalJSONPath(value: unknown, path: string): unknown[] {
  let cur: unknown[] = [value];
  for (const s of parseJSONPath(path)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || typeof v !== 'object') continue;
      if ('key' in s) {
        const x = (v as Record<string, unknown>)[s.key];
        if (x !== undefined) next.push(x);
      } else if ('index' in s) {
        if (Array.isArray(v)) {
          const x = v[s.index < 0 ? v.length + s.index : s.index];
          if (x !== undefined) next.push(x);
        }
      } else if (Array.isArray(v)) next.push(...v);
      else next.push(...Object.values(v));
    }
    cur = next;
  }
  return cur;
}

/** Evaluates a JSONPath to one cell value: the single result, results joined with commas, or undefined. */
export function jsonPathValue(value: unknown, path: string): unknown {
  const r = evalJSONPath(value, path);
  if (r.length === 0) return undefined;
  if (r.length === 1) return r[0];
  return r.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
}
