/**
 * Strategic merge patch, with Kubernetes' semantics (`k8s.io/apimachinery/pkg/util/strategicpatch`),
 * driven by the object's JSON Schema instead of Go struct tags:
 *
 * - maps merge key by key; `null` deletes a key; `x-kubernetes-patch-strategy: replace` replaces;
 * - lists with `x-kubernetes-patch-strategy: merge` merge: lists of objects by their
 *   `x-kubernetes-patch-merge-key` (containers by name, ports by containerPort, conditions by
 *   type, ...), lists of scalars as sets (finalizers); every other list is replaced;
 * - directives: `$patch: replace | delete` in a map, `{"$patch": "delete", <key>: v}` and
 *   `{"$patch": "replace"}` items in a merged list, `$deleteFromPrimitiveList/<field>`,
 *   `$setElementOrder/<field>` (the order kubectl's three-way patches ask for), `$retainKeys`;
 * - order: items named by the patch come in the patch's (or `$setElementOrder`'s) order,
 *   interleaved with items only the server has in their existing order.
 *
 * Copy-on-write: the original is never modified; only maps and lists the patch reaches are copied.
 * Malformed directives fail with BadRequest (Invalid where Kubernetes answers 422).
 */
import type { SchemaNode } from './schema-navigator.js';
import { cloneJson, isObject, jsonTypeName, type JsonObject } from './json-value.js';
import { malformedPatch, unappliablePatch } from './patch-errors.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to an object and returns the patched object (the input is not modified). */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode): unknown {
  if (!isObject(patch))
    throw malformedPatch(`invalid JSON document: a strategic merge patch must be a JSON object, not ${jsonTypeName(patch)}`);
  return mergeMap(isObject(original) ? original : undefined, patch, schema);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: SchemaNode): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    if (directive === 'replace') {
      const { [DIRECTIVE]: _d, ...rest } = patch;
      return mergeMap(undefined, rest, schema);
    }
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw malformedPatch(`unknown patch type: ${show(directive)} in map: ${show(patch)}`);
  }
  const out: JsonObject = original ? { ...original } : {};
  if (Object.hasOwn(patch, RETAIN_KEYS)) applyRetainKeys(out, patch);
  const handled = applySetElementOrders(out, patch, schema);
  let deletions: string[] | undefined;
  for (const k in patch) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER_PREFIX) || handled?.has(k)) continue;
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      (deletions ??= []).push(k);
      continue;
    }
    const pv = patch[k];
    if (pv === undefined) continue;
    if (pv === null) {
      delete out[k];
      continue;
    }
    out[k] = mergeValue(out[k], pv, schema.field(k));
  }
  if (deletions) for (const k of deletions) deleteFromPrimitiveList(out, k, patch[k]);
  return out;
}

/** Merges one field's patch value into its current value. */
function mergeValue(current: unknown, pv: unknown, field: SchemaNode): unknown {
  if (current === undefined || current === null) return fresh(pv, field);
  if (isObject(pv)) {
    if (!isObject(current) || field.patchReplace) return fresh(pv, field);
    return mergeMap(current, pv, field);
  }
  if (Array.isArray(pv)) {
    if (!Array.isArray(current) || !field.patchMerge) return fresh(pv, field);
    return mergeSlice(current, pv, field);
  }
  return pv;
}

/** A patch value taken as the new value of an absent field: its directives applied to nothing. */
function fresh(pv: unknown, field: SchemaNode): unknown {
  if (isObject(pv)) return mergeMap(undefined, pv, field);
  if (Array.isArray(pv)) return field.patchMerge ? mergeSlice([], pv, field) : cloneJson(pv);
  return pv;
}

function applyRetainKeys(out: JsonObject, patch: JsonObject): void {
  const list = patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw malformedPatch('invalid patch format of retainKeys');
  const keep = new Set(list);
  for (const k in patch) {
    const v = patch[k];
    if (v === null || v === undefined || k.startsWith('$')) continue;
    if (!keep.has(k)) throw unappliablePatch(`patch content doesn't match retainKeys list: ${JSON.stringify(k)} is not in ${show(list)}`);
  }
  for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
}

function deleteFromPrimitiveList(out: JsonObject, directiveKey: string, toDelete: unknown): void {
  const field = directiveKey.slice(DELETE_PRIMITIVE_PREFIX.length);
  if (field === '' || !Array.isArray(toDelete)) throw malformedPatch('invalid patch format of primitive list');
  const cur = out[field];
  if (!Array.isArray(cur)) return;
  const drop = new Set(toDelete);
  out[field] = cur.filter((v) => !drop.has(v));
}

/** Scalar identity of a list item: the item itself for scalars, its merge key's value for maps. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

function checkElementTypes(lists: readonly (readonly unknown[])[]): 'map' | 'scalar' | undefined {
  let kind: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      if (t === 'array') throw unappliablePatch('lists of lists are not supported');
      if (kind === undefined) kind = t;
      else if (kind !== t) throw malformedPatch(`list element types are not identical: ${show(lists)}`);
    }
  }
  if (kind === undefined) return undefined;
  return kind === 'object' ? 'map' : 'scalar';
}

/** Merges a patch list into a list whose strategy is `merge`. */
function mergeSlice(original: readonly unknown[], patch: readonly unknown[], field: SchemaNode): unknown[] {
  if (original.length === 0 && patch.length === 0) return [];
  const kind = checkElementTypes([original, patch]);
  if (kind === 'scalar') {
    const seen = new Set<unknown>();
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) {
      if (seen.has(v)) continue;
      seen.add(v);
      merged.push(v);
    }
    return orderLikePatch(merged, patch, original, undefined);
  }
  const mergeKey = field.patchMergeKey;
  if (mergeKey === undefined) throw malformedPatch('cannot merge lists without merge key for type map');
  let base: unknown[] = original.slice();
  let items: JsonObject[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonObject;
    const d = item[DIRECTIVE];
    if (d === undefined || d === 'merge') {
      if (d === undefined) items.push(item);
      else {
        const { [DIRECTIVE]: _d, ...rest } = item;
        if (Object.keys(rest).length > 0) items.push(rest);
      }
      continue;
    }
    if (d === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw malformedPatch(`map: ${show(item)} does not contain declared merge key: ${mergeKey}`);
      const key = item[mergeKey];
      base = base.filter((o) => identity(o, mergeKey) !== key);
    } else if (d === 'replace') replace = true;
    else throw malformedPatch(`unknown patch type: ${show(d)} in map: ${show(item)}`);
  }
  if (replace) {
    base = items.map((i) => mergeMap(undefined, i, field.item));
    items = [];
  }
  const serverOrder = base;
  const merged = base.slice();
  for (const item of items) {
    if (!Object.hasOwn(item, mergeKey)) throw malformedPatch(`map: ${show(item)} does not contain declared merge key: ${mergeKey}`);
    const key = item[mergeKey];
    const at = merged.findIndex((o) => isObject(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === key);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item, field.item);
    else merged.push(mergeMap(undefined, item, field.item));
  }
  return orderLikePatch(merged, items, serverOrder, mergeKey);
}

/**
 * Orders a merged list as Kubernetes does: the items named by `order` (the patch, or a
 * `$setElementOrder` list) in that order, the other items in `serverOrder`, the two
 * interleaved by their positions in `serverOrder` where both are known.
 */
function orderLikePatch(
  merged: readonly unknown[],
  order: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const orderIndex = new Map<unknown, number>();
  order.forEach((o, i) => {
    const id = identity(o, mergeKey);
    if (!orderIndex.has(id)) orderIndex.set(id, i);
  });
  const serverIndex = new Map<unknown, number>();
  serverOrder.forEach((o, i) => {
    const id = identity(o, mergeKey);
    if (!serverIndex.has(id)) serverIndex.set(id, i);
  });
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) (orderIndex.has(identity(v, mergeKey)) ? patchItems : serverOnly).push(v);
  const byIndex = (index: Map<unknown, number>) => (a: unknown, b: unknown) =>
    (index.get(identity(a, mergeKey)) ?? Infinity) - (index.get(identity(b, mergeKey)) ?? Infinity);
  patchItems.sort(byIndex(orderIndex));
  serverOnly.sort(byIndex(serverIndex));
  // Interleave: take a server-only item first only when both items are known to the server and it came first there.
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) out.push(patchItems[j++]);
    else if (j >= patchItems.length) out.push(serverOnly[i++]);
    else {
      const li = serverIndex.get(identity(serverOnly[i], mergeKey));
      const ri = serverIndex.get(identity(patchItems[j], mergeKey));
      if (li !== undefined && ri !== undefined && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

/** Checks that the patch list's items (but deletions) appear in the `$setElementOrder` list in the same relative order. */
function validateOrderList(patchList: readonly unknown[] | undefined, order: readonly unknown[], mergeKey: string | undefined): void {
  if (!patchList || patchList.length === 0 || order.length === 0) return;
  const items = mergeKey === undefined ? patchList : patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] !== undefined));
  let p = 0;
  for (let o = 0; o < order.length && p < items.length; o++) {
    if (mergeKey !== undefined && (!isObject(items[p]) || !isObject(order[o])))
      throw malformedPatch('invalid patch format of setElementOrder list');
    if (identity(items[p], mergeKey) === identity(order[o], mergeKey)) p++;
  }
  if (p < items.length)
    throw malformedPatch(`The order in patch list:\n${show(patchList)}\n doesn't match $setElementOrder list:\n${show(order)}`);
}

/** Processes the `$setElementOrder/<field>` directives of a map; returns the fields it merged. */
function applySetElementOrders(out: JsonObject, patch: JsonObject, schema: SchemaNode): Set<string> | undefined {
  let handled: Set<string> | undefined;
  for (const key in patch) {
    if (!key.startsWith(SET_ORDER_PREFIX)) continue;
    const order = patch[key];
    const fieldName = key.slice(SET_ORDER_PREFIX.length);
    if (!Array.isArray(order) || fieldName === '') throw malformedPatch('invalid patch format of setElementOrder list');
    const field = schema.field(fieldName);
    const mergeKey = field.patchMergeKey && order.some(isObject) ? field.patchMergeKey : undefined;
    const origList = out[fieldName];
    const patchList = patch[fieldName];
    const foundOrig = Array.isArray(origList);
    const foundPatch = patchList !== undefined && patchList !== null;
    if (foundPatch && !Array.isArray(patchList))
      throw malformedPatch(`expected a []interface {}, but received a ${jsonTypeName(patchList)}`);
    validateOrderList(patchList as unknown[] | undefined, order, mergeKey);
    let merged: unknown[];
    if (foundOrig && !foundPatch) merged = origList as unknown[];
    else if (!foundOrig && foundPatch) merged = fresh(patchList, field) as unknown[];
    else if (foundOrig && foundPatch)
      merged = field.patchMerge ? mergeSlice(origList as unknown[], patchList as unknown[], field) : (fresh(patchList, field) as unknown[]);
    else continue;
    (handled ??= new Set()).add(fieldName);
    if (merged.length === 0) {
      out[fieldName] = merged;
      continue;
    }
    if (mergeKey !== undefined)
      for (const o of order)
        if (!isObject(o) || !Object.hasOwn(o, mergeKey))
          throw malformedPatch(`map: ${show(o)} does not contain declared merge key: ${mergeKey}`);
    out[fieldName] = orderLikePatch(merged, order, foundOrig ? (origList as unknown[]) : [], mergeKey);
  }
  return handled;
}
