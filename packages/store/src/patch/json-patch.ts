/**
 * JSON Patch (RFC 6902) with JSON Pointers (RFC 6901): `add`, `remove`, `replace`, `move`,
 * `copy` and `test`, applied copy-on-write: the document is never mutated, only the
 * containers on the paths the operations touch are copied, and the rest is shared.
 *
 * A malformed patch (not an array of operation objects) fails with BadRequest; an operation
 * that does not apply (missing path, index out of range, failed `test`, unknown `op`) fails
 * with Invalid (422), as Kubernetes' API server answers.
 */
import { cloneJson, isObject, jsonEqual, type JsonObject } from './json-value.js';
import { malformedPatch, unappliablePatch } from './patch-errors.js';

/** One JSON Patch operation as sent on the wire. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** Parses a JSON Pointer into its unescaped reference tokens (`/a~1b/~0c` → `['a/b', '~c']`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (pointer[0] !== '/') throw unappliablePatch(`invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with '/'`);
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.includes('~')) {
      if (/~[^01]|~$/.test(t))
        throw unappliablePatch(`invalid JSON pointer ${JSON.stringify(pointer)}: '~' must be followed by '0' or '1'`);
      tokens[i] = t.replace(/~1/g, '/').replace(/~0/g, '~');
    }
  }
  return tokens;
}

type Container = JsonObject | unknown[];

/** The state of one patch application: the current root and the containers it already copied. */
class Patcher {
  private readonly owned = new Set<object>();

  constructor(public root: unknown) {}

  /** Reads the value at a pointer; `undefined` when absent. */
  get(tokens: readonly string[]): unknown {
    let cur = this.root;
    for (const t of tokens) {
      if (Array.isArray(cur)) {
        const i = arrayIndex(t, cur.length, false);
        if (i === undefined || i >= cur.length) return undefined;
        cur = cur[i];
      } else if (isObject(cur)) {
        if (!Object.hasOwn(cur, t)) return undefined;
        cur = cur[t];
      } else return undefined;
    }
    return cur;
  }

  /** A copy of `c` this patch may mutate (or `c` itself if it already is one). */
  private own<C extends Container>(c: C): C {
    if (this.owned.has(c)) return c;
    const copy = (Array.isArray(c) ? c.slice() : { ...c }) as C;
    this.owned.add(copy);
    return copy;
  }

  /** The mutable parent container of the location `tokens`, copying containers on the way down. */
  parentOf(tokens: readonly string[], op: string, pointer: string): Container {
    if (!Array.isArray(this.root) && !isObject(this.root))
      throw unappliablePatch(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
    this.root = this.own(this.root as Container);
    let cur = this.root as Container;
    for (let d = 0; d < tokens.length - 1; d++) {
      const t = tokens[d]!;
      let key: string | number = t;
      if (Array.isArray(cur)) {
        const i = arrayIndex(t, cur.length, false);
        if (i === undefined || i >= cur.length)
          throw unappliablePatch(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
        key = i;
      }
      const child = (cur as Record<string | number, unknown>)[key];
      if (!Array.isArray(child) && !isObject(child))
        throw unappliablePatch(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
      const mine = this.own(child as Container);
      (cur as Record<string | number, unknown>)[key] = mine;
      cur = mine;
    }
    return cur;
  }

  add(tokens: readonly string[], value: unknown, pointer: string): void {
    if (tokens.length === 0) {
      this.root = value;
      return;
    }
    const parent = this.parentOf(tokens, 'add', pointer);
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, true);
      if (i === undefined || i > parent.length)
        throw unappliablePatch(`add operation does not apply: index out of range in ${JSON.stringify(pointer)}`);
      parent.splice(i, 0, value);
    } else parent[last] = value;
  }

  remove(tokens: readonly string[], pointer: string, op = 'remove'): unknown {
    if (tokens.length === 0) throw unappliablePatch(`${op} operation does not apply: the whole document cannot be removed`);
    const parent = this.parentOf(tokens, op, pointer);
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      if (i === undefined || i >= parent.length)
        throw unappliablePatch(`Unable to ${op} nonexistent key: ${JSON.stringify(pointer)}: missing value`);
      return parent.splice(i, 1)[0];
    }
    if (!Object.hasOwn(parent, last)) throw unappliablePatch(`Unable to ${op} nonexistent key: ${JSON.stringify(last)}: missing value`);
    const v = parent[last];
    delete parent[last];
    return v;
  }

  replace(tokens: readonly string[], value: unknown, pointer: string): void {
    if (tokens.length === 0) {
      this.root = value;
      return;
    }
    const parent = this.parentOf(tokens, 'replace', pointer);
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      if (i === undefined || i >= parent.length)
        throw unappliablePatch(`replace operation does not apply: doc is missing key: ${JSON.stringify(pointer)}: missing value`);
      parent[i] = value;
    } else {
      if (!Object.hasOwn(parent, last))
        throw unappliablePatch(`replace operation does not apply: doc is missing key: ${JSON.stringify(pointer)}: missing value`);
      parent[last] = value;
    }
  }
}

/** An array index token: digits without leading zeros, or `-` (one past the end) where allowed. */
function arrayIndex(token: string, length: number, allowEnd: boolean): number | undefined {
  if (token === '-') return allowEnd ? length : undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  return Number(token);
}

function stringField(op: JsonObject, name: string, index: number): string {
  const v = op[name];
  if (typeof v !== 'string')
    throw unappliablePatch(`operation ${index}: ${JSON.stringify(op.op ?? '')} operation is missing a string "${name}"`);
  return v;
}

/**
 * Applies a JSON Patch to a document and returns the new document. The input document is not
 * modified; unchanged parts of it are shared with the result.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw malformedPatch('json: cannot unmarshal into Go value of type jsonpatch.Patch: a JSON patch must be an array of operations');
  for (let i = 0; i < patch.length; i++)
    if (!isObject(patch[i])) throw malformedPatch(`json: cannot unmarshal operation ${i}: each operation must be an object`);
  const p = new Patcher(doc);
  for (let i = 0; i < patch.length; i++) {
    const op = patch[i] as JsonObject;
    const kind = op.op;
    switch (kind) {
      case 'add': {
        if (!Object.hasOwn(op, 'value')) throw unappliablePatch(`operation ${i}: add operation is missing "value"`);
        const path = stringField(op, 'path', i);
        p.add(parseJsonPointer(path), cloneJson(op.value), path);
        break;
      }
      case 'remove': {
        const path = stringField(op, 'path', i);
        p.remove(parseJsonPointer(path), path);
        break;
      }
      case 'replace': {
        if (!Object.hasOwn(op, 'value')) throw unappliablePatch(`operation ${i}: replace operation is missing "value"`);
        const path = stringField(op, 'path', i);
        p.replace(parseJsonPointer(path), cloneJson(op.value), path);
        break;
      }
      case 'move': {
        const from = stringField(op, 'from', i);
        const path = stringField(op, 'path', i);
        if (path.startsWith(`${from}/`))
          throw unappliablePatch(
            `move operation does not apply: ${JSON.stringify(from)} cannot be moved into one of its children (${JSON.stringify(path)})`,
          );
        if (from === path) break;
        const fromTokens = parseJsonPointer(from);
        if (p.get(fromTokens) === undefined)
          throw unappliablePatch(`move operation does not apply: doc is missing from path: ${JSON.stringify(from)}`);
        const v = p.remove(fromTokens, from, 'move');
        p.add(parseJsonPointer(path), v, path);
        break;
      }
      case 'copy': {
        const from = stringField(op, 'from', i);
        const path = stringField(op, 'path', i);
        const v = p.get(parseJsonPointer(from));
        if (v === undefined) throw unappliablePatch(`copy operation does not apply: doc is missing from path: ${JSON.stringify(from)}`);
        p.add(parseJsonPointer(path), cloneJson(v), path);
        break;
      }
      case 'test': {
        const path = stringField(op, 'path', i);
        const actual = p.get(parseJsonPointer(path));
        const expected = Object.hasOwn(op, 'value') ? op.value : undefined;
        const equal = actual === undefined ? expected === null || expected === undefined : jsonEqual(actual, expected);
        if (!equal) throw unappliablePatch(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw unappliablePatch(`Unexpected kind: ${typeof kind === 'string' ? kind : JSON.stringify(kind ?? null)}`);
    }
  }
  return p.root;
}
