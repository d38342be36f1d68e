/**
 * Sets of field paths, as server-side apply tracks ownership (structured-merge-diff's
 * `fieldpath.Set`), and their `FieldsV1` encoding in `metadata.managedFields`.
 *
 * A path is a list of path elements, each written as in FieldsV1:
 * - `f:<name>`: a field of a struct or a key of a map;
 * - `k:<json>`: an item of a map list, by its key fields (`k:{"name":"web"}`, keys sorted);
 * - `v:<json>`: an item of a set list, by its value (`v:"example.com/finalizer"`);
 * - `i:<n>`: an item of a list by index (lists whose items have no identity).
 *
 * A set is a tree of nodes; a node is a *member* when its path itself is in the set (a leaf
 * field, a list item, a map created as a whole). In FieldsV1 a member node with children
 * carries `".": {}`.
 *
 * Sets are immutable values: operations return new trees (sharing untouched subtrees).
 */
import { canonicalJson, isObject } from './json-value.js';

/** One node of a field set. `children` is absent for leaves. */
export interface FieldNode {
  readonly member: boolean;
  readonly children?: ReadonlyMap<string, FieldNode>;
}

/** The empty set. */
export const EMPTY_SET: FieldNode = Object.freeze({ member: false });

/** The path element of a struct field or map key. */
export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** The path element of a map-list item with these key fields. */
export function keyElement(key: Readonly<Record<string, unknown>>): string {
  return `k:${canonicalJson(key)}`;
}

/** The path element of a set-list item. */
export function valueElement(value: unknown): string {
  return `v:${canonicalJson(value)}`;
}

/** The path element of a list item without identity. */
export function indexElement(i: number): string {
  return `i:${i}`;
}

/** A mutable builder node, frozen into a FieldNode by `freezeSet`. */
export interface MutableFieldNode {
  member: boolean;
  children?: Map<string, MutableFieldNode>;
}

/** A fresh mutable set. */
export function newSet(): MutableFieldNode {
  return { member: false };
}

/** The child of a mutable node at `pe`, created when absent. */
export function childOf(n: MutableFieldNode, pe: string): MutableFieldNode {
  let c = n.children?.get(pe);
  if (!c) {
    c = { member: false };
    (n.children ??= new Map()).set(pe, c);
  }
  return c;
}

/** Inserts a path into a mutable set (the root itself is never a member). */
export function insertPath(root: MutableFieldNode, path: readonly string[]): void {
  if (path.length === 0) return;
  let n = root;
  for (const pe of path) n = childOf(n, pe);
  n.member = true;
}

/** Whether a path is a member of a set. */
export function hasPath(root: FieldNode, path: readonly string[]): boolean {
  if (path.length === 0) return false;
  let n: FieldNode | undefined = root;
  for (const pe of path) {
    n = n.children?.get(pe);
    if (!n) return false;
  }
  return n.member;
}

/** Whether a set has no members. */
export function isEmptySet(n: FieldNode): boolean {
  if (n.member) return false;
  if (n.children) for (const c of n.children.values()) if (!isEmptySet(c)) return false;
  return true;
}

function make(member: boolean, children: Map<string, FieldNode> | undefined): FieldNode {
  if (children && children.size === 0) children = undefined;
  return children ? { member, children } : member ? MEMBER_LEAF : EMPTY_SET;
}

const MEMBER_LEAF: FieldNode = Object.freeze({ member: true });

/** Drops empty subtrees; returns undefined for an empty node. */
function pruneEmpty(n: FieldNode): FieldNode | undefined {
  return isEmptySet(n) ? undefined : n;
}

/** The union of two sets. */
export function union(a: FieldNode, b: FieldNode): FieldNode {
  if (a === b || isEmptySet(b)) return a;
  if (isEmptySet(a)) return b;
  let children: Map<string, FieldNode> | undefined;
  if (a.children || b.children) {
    children = new Map(a.children);
    if (b.children) for (const [pe, bc] of b.children) children.set(pe, children.has(pe) ? union(children.get(pe)!, bc) : bc);
  }
  return make(a.member || b.member, children);
}

/** The members of `a` that are not members of `b` (structured-merge-diff's `Difference`). */
export function difference(a: FieldNode, b: FieldNode): FieldNode {
  if (isEmptySet(b)) return a;
  if (a === b) return EMPTY_SET;
  let children: Map<string, FieldNode> | undefined;
  if (a.children) {
    children = new Map();
    for (const [pe, ac] of a.children) {
      const bc = b.children?.get(pe);
      const d = bc ? pruneEmpty(difference(ac, bc)) : ac;
      if (d) children.set(pe, d);
    }
  }
  return make(a.member && !b.member, children);
}

/**
 * `a` without the members of `b` and without everything under a member of `b`
 * (structured-merge-diff's `RecursiveDifference`).
 */
export function recursiveDifference(a: FieldNode, b: FieldNode): FieldNode {
  if (isEmptySet(b)) return a;
  let children: Map<string, FieldNode> | undefined;
  if (a.children) {
    children = new Map();
    for (const [pe, ac] of a.children) {
      const bc = b.children?.get(pe);
      if (bc?.member) continue;
      const d = bc ? pruneEmpty(recursiveDifference(ac, bc)) : ac;
      if (d) children.set(pe, d);
    }
  }
  return make(a.member && !b.member, children);
}

/** The members in both sets. */
export function intersection(a: FieldNode, b: FieldNode): FieldNode {
  if (a === b) return a;
  let children: Map<string, FieldNode> | undefined;
  if (a.children && b.children) {
    children = new Map();
    for (const [pe, ac] of a.children) {
      const bc = b.children.get(pe);
      if (!bc) continue;
      const i = pruneEmpty(intersection(ac, bc));
      if (i) children.set(pe, i);
    }
  }
  return make(a.member && b.member, children);
}

/** Every member path of a set, in FieldsV1 order. */
export function memberPaths(root: FieldNode): string[][] {
  const out: string[][] = [];
  const walk = (n: FieldNode, path: string[]) => {
    if (n.member && path.length > 0) out.push(path.slice());
    if (!n.children) return;
    for (const pe of sortedElements(n.children.keys())) {
      path.push(pe);
      walk(n.children.get(pe)!, path);
      path.pop();
    }
  };
  walk(root, []);
  return out;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function sortedElements(keys: Iterable<string>): string[] {
  return [...keys].sort((x, y) => {
    const rx = RANK[x[0]!] ?? 4;
    const ry = RANK[y[0]!] ?? 4;
    if (rx !== ry) return rx - ry;
    if (x[0] === 'i' && y[0] === 'i') return Number(x.slice(2)) - Number(y.slice(2));
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Encodes a set as FieldsV1 (`{"f:spec":{"f:replicas":{}}}`), keys in structured-merge-diff's order. */
export function toFieldsV1(root: FieldNode): Record<string, unknown> {
  const enc = (n: FieldNode): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!n.children) return out;
    if (n.member) out['.'] = {};
    for (const pe of sortedElements(n.children.keys())) {
      const c = n.children.get(pe)!;
      if (!isEmptySet(c)) out[pe] = enc(c);
    }
    return out;
  };
  return enc(root);
}

const decoded = new WeakMap<object, FieldNode>();

/**
 * Decodes FieldsV1 into a set; undefined when it is malformed. Decoding is cached per
 * (immutable, shared) FieldsV1 object, so stored objects decode once.
 */
export function fromFieldsV1(fields: unknown): FieldNode | undefined {
  if (!isObject(fields)) return undefined;
  const hit = decoded.get(fields);
  if (hit) return hit;
  const dec = (o: Record<string, unknown>, depth: number): FieldNode | undefined => {
    if (depth > 128) return undefined;
    let member = false;
    let children: Map<string, FieldNode> | undefined;
    let any = false;
    for (const k in o) {
      any = true;
      if (k === '.') {
        member = true;
        continue;
      }
      const v = o[k];
      if (!isObject(v) || !/^[fkvi]:/.test(k)) return undefined;
      const c = dec(v, depth + 1);
      if (!c) return undefined;
      (children ??= new Map()).set(k, c);
    }
    // A leaf `{}` is a member; the root is never one.
    return make(depth === 0 ? false : member || !any, children);
  };
  const out = dec(fields, 0);
  if (out && Object.isFrozen(fields)) decoded.set(fields, out);
  return out;
}

/** Formats a path as structured-merge-diff prints it: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. */
export function pathString(path: readonly string[]): string {
  let s = '';
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f':
        s += `.${body}`;
        break;
      case 'k': {
        let key: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(body);
          if (isObject(parsed)) key = parsed;
        } catch {
          /* keep empty */
        }
        s += `[${Object.keys(key)
          .map((k) => `${k}=${JSON.stringify(key[k])}`)
          .join(',')}]`;
        break;
      }
      case 'v':
        s += `[=${body}]`;
        break;
      default:
        s += `[${body}]`;
    }
  }
  return s;
}

/** Builds a set from dotted field paths (`status`, `metadata.labels`): each path a member. */
export function setOfDottedPaths(paths: readonly string[]): FieldNode {
  const root = newSet();
  for (const p of paths) insertPath(root, p.split('.').filter(Boolean).map(fieldElement));
  return root;
}
