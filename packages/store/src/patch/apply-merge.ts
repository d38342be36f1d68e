/**
 * The merge of server-side apply (structured-merge-diff's `TypedValue.Merge`): an apply
 * configuration merged into the live object by the schema's list and map types.
 *
 * - scalars, atomic lists and atomic maps: the configuration's value wins;
 * - granular maps and structs: merged key by key;
 * - `set` lists: the union; `map` lists: items merged by their key fields; in both, items the
 *   configuration names come in its order, with live-only items kept where they were;
 * - `null` in the configuration removes the field (it is still owned by the applier).
 *
 * Copy-on-write: the live object is not modified; only what the configuration reaches is copied.
 */
import { StatusError } from '@converge/core';
import { itemElement } from './field-set-walkers.js';
import { pathString } from './field-set.js';
import { cloneJson, isObject, type JsonObject } from './json-value.js';
import type { SchemaNode } from './schema-navigator.js';

/** Merges an apply configuration into a live value. */
export function mergeApplied(live: unknown, config: unknown, schema: SchemaNode): unknown {
  return merge(live, config, schema, []);
}

function fresh(v: unknown): unknown {
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k in v) {
      const c = v[k];
      if (c !== undefined && c !== null) out[k] = fresh(c);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => (isObject(x) ? fresh(x) : cloneJson(x)));
  return v;
}

function merge(l: unknown, r: unknown, s: SchemaNode, path: string[]): unknown {
  if (r === undefined) return l;
  if (r === null) return null;
  if (l === undefined || l === null)
    return s.kind === 'list' && Array.isArray(r) && s.listType !== 'atomic' ? mergeList([], r, s, path) : fresh(r);
  if (s.atomic && s.kind !== 'any') return fresh(r);
  if (isObject(l) && isObject(r) && (s.kind === 'struct' || s.kind === 'map' || s.kind === 'any')) {
    const out: JsonObject = { ...l };
    for (const k in r) {
      const rv = r[k];
      if (rv === undefined) continue;
      path.push(`f:${k}`);
      const m = merge(l[k], rv, s.field(k), path);
      path.pop();
      if (m === null) delete out[k];
      else out[k] = m;
    }
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r) && s.kind === 'list' && s.listType !== 'atomic') return mergeList(l, r, s, path);
  return fresh(r);
}

/** Merges two set or map lists, ordering items as structured-merge-diff does. */
function mergeList(l: readonly unknown[], r: readonly unknown[], s: SchemaNode, path: string[]): unknown[] {
  const rPE = r.map((v, i) => itemElement(v, i, s));
  const lPE = l.map((v, i) => itemElement(v, i, s));
  const observedR = new Map<string, unknown>();
  for (let i = 0; i < r.length; i++) {
    if (observedR.has(rPE[i]!)) {
      throw new StatusError(
        'BadRequest',
        `${pathString([...path])}: duplicate entries for key ${pathString([rPE[i]!])} in the apply configuration`,
      );
    }
    observedR.set(rPE[i]!, r[i]);
  }
  const observedL = new Map<string, unknown>();
  for (let i = 0; i < l.length; i++) if (!observedL.has(lPE[i]!)) observedL.set(lPE[i]!, l[i]);
  const sharedOrder = rPE.filter((pe) => observedL.has(pe));
  let sharedAt = 0;
  let nextShared = sharedOrder[sharedAt++];
  const mergedR = new Set<string>();
  const out: unknown[] = [];
  const item = (pe: string, lv: unknown, rv: unknown): void => {
    path.push(pe);
    const m = rv === undefined ? lv : merge(lv, rv, s.item, path);
    path.pop();
    if (m !== null && m !== undefined) out.push(m);
  };
  let li = 0;
  let ri = 0;
  while (li < l.length || ri < r.length) {
    if (li < l.length && ri < r.length) {
      const pe = lPE[li]!;
      if (pe === rPE[ri]) {
        mergedR.add(pe);
        item(pe, observedL.get(pe), observedR.get(pe));
        li++;
        ri++;
        nextShared = sharedOrder[sharedAt++];
        continue;
      }
      if (observedR.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < l.length) {
      const pe = lPE[li]!;
      if (!observedR.has(pe)) {
        item(pe, l[li], undefined);
        li++;
        continue;
      }
      if (mergedR.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < r.length) {
      const pe = rPE[ri]!;
      mergedR.add(pe);
      item(pe, observedL.get(pe), observedR.get(pe));
      ri++;
      if (nextShared === pe) nextShared = sharedOrder[sharedAt++];
      continue;
    }
    // Only live items already merged remain.
    li++;
  }
  return out;
}
