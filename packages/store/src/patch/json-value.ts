/**
 * Small helpers over JSON values for the patch module. Patching never mutates its inputs:
 * changed nodes are shallow-copied on the way down, unchanged subtrees are shared.
 */
import { badRequest } from '@converge/core';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values; object key order is ignored and `undefined` members count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  let n = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    n++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

const MAX_DEPTH = 256;

/**
 * A deep copy of a JSON value taken from a patch body, so the result never aliases the caller's
 * patch (the store freezes what it keeps). Fails with BadRequest on absurd nesting or cycles.
 */
export function cloneJson<T>(v: T, depth = 0): T {
  if (v === null || typeof v !== 'object') return v;
  if (depth > MAX_DEPTH) throw badRequest('the patch is nested too deeply (or contains a cycle)');
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneJson(v[i], depth + 1);
    return out as T;
  }
  const out: JsonObject = {};
  for (const k in v as JsonObject) {
    const c = (v as JsonObject)[k];
    if (c !== undefined) out[k] = cloneJson(c, depth + 1);
  }
  return out as T;
}

/** The JSON type name of a value, for error messages. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** A stable JSON encoding (object keys sorted), used for identities of list items and set values. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as JsonObject;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}
