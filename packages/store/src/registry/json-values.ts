import { badRequest } from '@converge/core';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 200;

/**
 * Returns a deep, mutable copy of a JSON-like value, as a JSON round trip would (functions,
 * symbols and `undefined` members dropped, `toJSON` honoured, non-finite numbers become null)
 * but without serializing. Throws BadRequest for cycles or absurd nesting, so malformed
 * input fails cleanly instead of overflowing the stack.
 */
export function cloneJson<T>(value: T): T {
  return clone(value, 0) as T;
}

function clone(v: unknown, depth: number): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'object':
      break;
    case 'bigint':
      throw badRequest('a bigint cannot be serialized as JSON');
    default:
      return undefined;
  }
  if (depth > MAX_DEPTH) throw badRequest('the object is nested too deeply (or contains a cycle)');
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = clone(v[i], depth + 1);
      out[i] = c === undefined ? null : c;
    }
    return out;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.toJSON === 'function') return clone((o.toJSON as () => unknown)(), depth + 1);
  const out: Record<string, unknown> = {};
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const c = clone(o[k], depth + 1);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** Deep equality of two JSON values (object key order ignored; absent and `undefined` members equal). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    na++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (bo[k] !== undefined) nb++;
  return na === nb;
}

/** Whether a value is a plain (non-array, non-null) object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a dotted path (`spec.replicas`, with an optional leading dot) from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of splitPath(path)) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Writes a dotted path into a mutable object, creating intermediate objects; `undefined` deletes the member. */
export function setPath(obj: JsonObject, path: string, value: unknown): void {
  const parts = splitPath(path);
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]!];
    if (!isObject(next)) {
      if (value === undefined) return;
      cur[parts[i]!] = {};
    }
    cur = cur[parts[i]!] as JsonObject;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

function splitPath(path: string): string[] {
  return (path.startsWith('.') ? path.slice(1) : path).split('.').filter((p) => p.length > 0);
}
