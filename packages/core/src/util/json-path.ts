/**
 * The part of Kubernetes' JSONPath that printer columns, selectable fields and scale paths
 * use: `.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`,
 * `.spec.containers[*].image`, `.items[0]`, `.items[-1]`, `.items[1:3]`, `['dotted.key']`,
 * with an optional `{...}` wrapper and a leading `$`. There are no unions, recursive descent
 * (`..`) or range/end templates: those belong to kubectl's output templates, not to paths.
 *
 * One implementation for the whole project: core's custom-resource columns and the API
 * server's table convertor both evaluate paths here.
 */

type Step =
  | { t: 'field'; name: string }
  | { t: 'wild' }
  | { t: 'index'; i: number }
  | { t: 'slice'; start?: number; end?: number }
  | { t: 'filter'; path: Step[]; op?: string; literal?: unknown };

/** A compiled JSONPath expression. */
export interface JsonPath {
  /** The source text. */
  readonly source: string;
  /** Every value the path selects, in document order (empty when none). */
  find(value: unknown): unknown[];
}

function parseLiteral(text: string): unknown {
  const s = text.trim();
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  const n = Number(s);
  if (s !== '' && !Number.isNaN(n)) return n;
  return s;
}

function parseSteps(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const n = src.length;
  if (src[i] === '$') i++;
  if (src[i] === '@') i++;
  while (i < n) {
    const c = src[i];
    if (c === '.') {
      i++;
      if (src[i] === '*') {
        steps.push({ t: 'wild' });
        i++;
        continue;
      }
      let j = i;
      while (j < n && src[j] !== '.' && src[j] !== '[') j++;
      if (j > i) steps.push({ t: 'field', name: src.slice(i, j) });
      i = j;
    } else if (c === '[') {
      const close = findClose(src, i);
      const inner = src.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ t: 'wild' });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else if ((inner.startsWith("'") && inner.endsWith("'")) || (inner.startsWith('"') && inner.endsWith('"')))
        steps.push({ t: 'field', name: inner.slice(1, -1) });
      else if (inner.includes(':')) {
        const [a, b] = inner.split(':');
        const s: Step = { t: 'slice' };
        if (a && a.trim() !== '') s.start = Number(a);
        if (b && b.trim() !== '') s.end = Number(b);
        steps.push(s);
      } else if (/^-?\d+$/.test(inner)) steps.push({ t: 'index', i: Number(inner) });
      else steps.push({ t: 'field', name: inner });
    } else {
      // a bare name at the start (`spec.replicas`)
      let j = i;
      while (j < n && src[j] !== '.' && src[j] !== '[') j++;
      steps.push({ t: 'field', name: src.slice(i, j) });
      i = j;
    }
  }
  return steps;
}

function findClose(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`unclosed [ in JSONPath ${src}`);
}

function parseFilter(expr: string): Step {
  const m = /^\s*(@[^<>=!\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(expr);
  if (!m) return { t: 'filter', path: parseSteps(expr.trim()) };
  return { t: 'filter', path: parseSteps(m[1]!), op: m[2]!, literal: parseLiteral(m[3]!) };
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b);
    case '!=':
      return a !== b;
    case '<':
      return (a as number) < (b as number);
    case '>':
      return (a as number) > (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>=':
      return (a as number) >= (b as number);
    default:
      return false;
  }
}

function apply(steps: Step[], roots: unknown[]): unknown[] {
  let cur = roots;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || v === undefined) continue;
      switch (step.t) {
        case 'field':
          if (typeof v === 'object' && !Array.isArray(v) && step.name in (v as object))
            next.push((v as Record<string, unknown>)[step.name]);
          break;
        case 'wild':
          if (Array.isArray(v)) next.push(...v);
          else if (typeof v === 'object') next.push(...Object.values(v as object));
          break;
        case 'index':
          if (Array.isArray(v)) {
            const idx = step.i < 0 ? v.length + step.i : step.i;
            if (idx >= 0 && idx < v.length) next.push(v[idx]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) next.push(...v.slice(step.start, step.end));
          break;
        case 'filter':
          if (Array.isArray(v)) {
            for (const item of v) {
              const found = apply(step.path, [item]);
              if (step.op === undefined ? found.length > 0 : found.some((f) => compare(f, step.op!, step.literal))) next.push(item);
            }
          }
          break;
      }
    }
    cur = next;
  }
  return cur;
}

/** Compiles a JSONPath expression; throws on a malformed one (an unclosed `[`). */
export function compileJsonPath(source: string): JsonPath {
  let src = source.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  const steps = parseSteps(src);
  return { source, find: (value) => apply(steps, [value]) };
}

/** Compiled paths by source; paths come from kind and CRD definitions, so the set is small. */
const compiled = new Map<string, JsonPath>();
const MAX_CACHED = 4096;

function cachedPath(path: string): JsonPath {
  let p = compiled.get(path);
  if (!p) {
    p = compileJsonPath(path);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(path, p);
  }
  return p;
}

/** Evaluates a JSONPath against a value: the list of values it selects (empty when none); throws on a malformed path. */
export function evalJSONPath(value: unknown, path: string): unknown[] {
  return cachedPath(path).find(value);
}

/** Evaluates a JSONPath to one value: the single result, several results joined with commas, or undefined when none. */
export function jsonPathValue(value: unknown, path: string): unknown {
  const r = evalJSONPath(value, path);
  if (r.length === 0) return undefined;
  if (r.length === 1) return r[0];
  return r.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
}
