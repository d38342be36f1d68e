/**
 * Walks over objects and their schema that produce and use field sets, with
 * structured-merge-diff's semantics:
 *
 * - `toFieldSet`: the fields a value sets (an apply configuration's fields);
 * - `compareObjects`: the fields added, modified and removed between two versions;
 * - `removeFields`: a copy of a value without the fields of a set;
 * - `ensureNamedFieldsAreMembers`: a set plus the struct fields on the way to its members.
 *
 * All walks skip identical subtrees (`a === b`), so comparing a patched object with its
 * original costs time in proportion to what the patch touched.
 */
import { keyFieldDefault, type SchemaNode } from './schema-navigator.js';
import {
  childOf,
  fieldElement,
  indexElement,
  insertPath,
  keyElement,
  newSet,
  valueElement,
  type FieldNode,
  type MutableFieldNode,
} from './field-set.js';
import { isObject, jsonEqual, type JsonObject } from './json-value.js';

/** Value shapes as the walks see them. */
type Shape = 'leaf' | 'map' | 'list';

/** How a value is walked: as a leaf (scalar, atomic, mismatched), a granular map, or a set/map list. */
function shapeOf(v: unknown, s: SchemaNode): Shape {
  if (s.atomic && s.kind !== 'any') return 'leaf';
  if (Array.isArray(v)) return s.kind === 'list' && s.listType !== 'atomic' ? 'list' : 'leaf';
  if (isObject(v)) return s.kind === 'struct' || s.kind === 'map' || s.kind === 'any' ? 'map' : 'leaf';
  return 'leaf';
}

/** The path element of a list item: `k:` for map lists, `v:` for sets, `i:` when it has no identity. */
export function itemElement(item: unknown, index: number, list: SchemaNode): string {
  if (list.listType === 'set') return valueElement(item);
  if (list.listType === 'map' && isObject(item)) {
    const key: Record<string, unknown> = {};
    let n = 0;
    for (const k of list.listKeys) {
      let v = item[k];
      if (v === undefined || v === null) v = keyFieldDefault(list.item, k);
      if (v !== undefined && v !== null) {
        key[k] = v;
        n++;
      }
    }
    if (n > 0) return keyElement(key);
  }
  return indexElement(index);
}

/** A set of subtrees to skip (its members), e.g. `metadata.managedFields` and a subresource's reset fields. */
export type SkipSet = FieldNode | undefined;

function skipChild(skip: SkipSet, pe: string): { skipped: boolean; next: SkipSet } {
  const c = skip?.children?.get(pe);
  if (!c) return { skipped: false, next: undefined };
  return { skipped: c.member, next: c };
}

/**
 * The fields a value sets, as `TypedValue.ToFieldSet` computes them: scalars, atomic values,
 * list items, map entries, `null`s and empty maps are members; struct fields holding
 * non-empty structs only lead to their members.
 */
export function toFieldSet(value: unknown, schema: SchemaNode, skip?: SkipSet): MutableFieldNode {
  const root = newSet();
  walkSet(value, schema, root, skip);
  return root;
}

function walkSet(v: unknown, s: SchemaNode, node: MutableFieldNode, skip: SkipSet): void {
  const shape = shapeOf(v, s);
  if (shape === 'leaf') {
    node.member = true;
    return;
  }
  if (shape === 'list') {
    const items = v as unknown[];
    for (let i = 0; i < items.length; i++) {
      const c = childOf(node, itemElement(items[i], i, s));
      walkSet(items[i], s.item, c, undefined);
      c.member = true;
    }
    return;
  }
  const o = v as JsonObject;
  for (const k in o) {
    const cv = o[k];
    if (cv === undefined) continue;
    const pe = fieldElement(k);
    const sk = skipChild(skip, pe);
    if (sk.skipped) continue;
    const c = childOf(node, pe);
    const fs = s.field(k);
    walkSet(cv, fs, c, sk.next);
    if (cv === null || (isObject(cv) && isEmptyObject(cv)) || !s.isNamedField(k)) c.member = true;
  }
}

function isEmptyObject(o: JsonObject): boolean {
  for (const k in o) if (o[k] !== undefined) return false;
  return true;
}

/** The fields added, modified and removed from one version of an object to the next. */
export interface Comparison {
  added: MutableFieldNode;
  modified: MutableFieldNode;
  removed: MutableFieldNode;
}

/**
 * Compares two versions of a value, as `TypedValue.Compare` does: leaves that differ are
 * modified; everything under a field, map entry or list item present on one side only is
 * added or removed (the entry itself included).
 */
export function compareObjects(lhs: unknown, rhs: unknown, schema: SchemaNode, skip?: SkipSet): Comparison {
  const c: Comparison = { added: newSet(), modified: newSet(), removed: newSet() };
  compareWalk(lhs, rhs, schema, [], c, skip);
  return c;
}

function compareWalk(l: unknown, r: unknown, s: SchemaNode, path: string[], c: Comparison, skip: SkipSet): void {
  if (l === r) return;
  if (l === undefined) {
    recordAll(r, s, path, c.added);
    return;
  }
  if (r === undefined) {
    recordAll(l, s, path, c.removed);
    return;
  }
  const ls = shapeOf(l, s);
  const rs = shapeOf(r, s);
  if (ls !== rs || ls === 'leaf' || Array.isArray(l) !== Array.isArray(r)) {
    if (!jsonEqual(l, r)) insertPath(c.modified, path);
    return;
  }
  if (ls === 'map') {
    const lo = l as JsonObject;
    const ro = r as JsonObject;
    for (const k in lo) {
      if (lo[k] === undefined) continue;
      const pe = fieldElement(k);
      const sk = skipChild(skip, pe);
      if (sk.skipped) continue;
      path.push(pe);
      compareWalk(lo[k], ro[k], s.field(k), path, c, sk.next);
      path.pop();
    }
    for (const k in ro) {
      if (ro[k] === undefined || (lo[k] !== undefined && Object.hasOwn(lo, k))) continue;
      const pe = fieldElement(k);
      const sk = skipChild(skip, pe);
      if (sk.skipped) continue;
      path.push(pe);
      recordAll(ro[k], s.field(k), path, c.added);
      path.pop();
    }
    return;
  }
  const la = l as unknown[];
  const ra = r as unknown[];
  const rIndex = new Map<string, unknown>();
  for (let i = 0; i < ra.length; i++) {
    const pe = itemElement(ra[i], i, s);
    if (!rIndex.has(pe)) rIndex.set(pe, ra[i]);
  }
  const seen = new Set<string>();
  for (let i = 0; i < la.length; i++) {
    const pe = itemElement(la[i], i, s);
    if (seen.has(pe)) continue;
    seen.add(pe);
    path.push(pe);
    if (rIndex.has(pe)) compareWalk(la[i], rIndex.get(pe), s.item, path, c, undefined);
    else recordAll(la[i], s.item, path, c.removed);
    path.pop();
  }
  for (const [pe, rv] of rIndex) {
    if (seen.has(pe)) continue;
    path.push(pe);
    recordAll(rv, s.item, path, c.added);
    path.pop();
  }
}

/** Records a value present on one side only: the value's own path and every path under it. */
function recordAll(v: unknown, s: SchemaNode, path: string[], into: MutableFieldNode): void {
  insertPath(into, path);
  const shape = shapeOf(v, s);
  if (shape === 'map') {
    const o = v as JsonObject;
    for (const k in o) {
      if (o[k] === undefined) continue;
      path.push(fieldElement(k));
      recordAll(o[k], s.field(k), path, into);
      path.pop();
    }
  } else if (shape === 'list') {
    const a = v as unknown[];
    for (let i = 0; i < a.length; i++) {
      path.push(itemElement(a[i], i, s));
      recordAll(a[i], s.item, path, into);
      path.pop();
    }
  }
}

/** Marker a removal returns for a map or list emptied by it, which its parent then drops. */
const EMPTIED = Symbol('emptied');

/**
 * A copy of `value` without the members of `set` (and everything under them), as
 * `TypedValue.RemoveItems` does. Maps and lists emptied by the removal are dropped, as
 * Kubernetes' typed decoding drops empty maps and lists; emptied structs stay as `{}`.
 * Unchanged subtrees are shared.
 */
export function removeFields(value: unknown, set: FieldNode, schema: SchemaNode): unknown {
  const out = removeWalk(value, set, schema);
  return out === EMPTIED ? (Array.isArray(value) ? [] : {}) : out;
}

function removeWalk(v: unknown, set: FieldNode, s: SchemaNode): unknown {
  if (!set.children) return v;
  const shape = shapeOf(v, s);
  if (shape === 'leaf') return v;
  if (shape === 'map') {
    const o = v as JsonObject;
    let out: JsonObject | undefined;
    for (const [pe, child] of set.children) {
      if (pe[0] !== 'f') continue;
      const k = pe.slice(2);
      if (!Object.hasOwn(o, k) || o[k] === undefined) continue;
      let nv: unknown;
      if (child.member) nv = EMPTIED;
      else {
        nv = removeWalk(o[k], child, s.field(k));
        if (nv === o[k]) continue;
      }
      out ??= { ...o };
      if (nv === EMPTIED) delete out[k];
      else out[k] = nv;
    }
    if (!out) return v;
    if (s.kind !== 'struct' && isEmptyObject(out)) return EMPTIED;
    return out;
  }
  const a = v as unknown[];
  let out: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const child = set.children.get(itemElement(a[i], i, s));
    if (!child) {
      out?.push(a[i]);
      continue;
    }
    const nv = child.member ? EMPTIED : removeWalk(a[i], child, s.item);
    if (nv === a[i]) {
      out?.push(a[i]);
      continue;
    }
    out ??= a.slice(0, i);
    if (nv !== EMPTIED) out.push(nv);
  }
  if (!out) return v;
  return out.length === 0 ? EMPTIED : out;
}

/**
 * The set plus, as members, every struct field on the way to its members
 * (structured-merge-diff's `EnsureNamedFieldsAreMembers`).
 */
export function ensureNamedFieldsAreMembers(set: FieldNode, schema: SchemaNode): FieldNode {
  if (!set.children) return set;
  const children = new Map<string, FieldNode>();
  for (const [pe, child] of set.children) {
    const isField = pe[0] === 'f';
    const name = pe.slice(2);
    const cs = isField ? schema.field(name) : schema.item;
    const ensured = ensureNamedFieldsAreMembers(child, cs);
    const named = isField && schema.kind === 'struct' && schema.isNamedField(name);
    children.set(pe, named && !ensured.member ? { member: true, ...(ensured.children ? { children: ensured.children } : {}) } : ensured);
  }
  return { member: set.member, children };
}
