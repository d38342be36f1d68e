import { badRequest } from '@converge/core';
import { isObject, jsonEqual, type JsonObject } from '../patch/json-value.js';

// One JSON equality and object test for the whole store: the patch module's.
export { isObject, jsonEqual, type JsonObject };

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
