/**
 * Field selectors (`metadata.name=web,status.phase!=Running`): the syntax of Kubernetes'
 * `fields.ParseSelector`, and their compilation against the fields a kind lets you select on.
 */
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';

/** Reads a selectable field of an object as a string (`undefined` = absent, which compares as `''`). */
export type FieldGetter<T = KubeObject> = (obj: T) => string | undefined;

/** The fields every kind supports: `metadata.name` and `metadata.namespace`. */
export const COMMON_SELECTABLE_FIELDS: Readonly<Record<string, FieldGetter>> = Object.freeze({
  'metadata.name': (o: KubeObject) => o.metadata.name,
  'metadata.namespace': (o: KubeObject) => o.metadata.namespace,
});

/** One term of a field selector. `==` is parsed as `=`. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  /** The value, unescaped. */
  readonly value: string;
}

/** Escapes `\`, `,` and `=` in a field selector value (`fields.EscapeValue`). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(raw: string, term: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const nx = raw[i + 1];
      if (nx === '\\' || nx === ',' || nx === '=') {
        out += nx;
        i++;
        continue;
      }
      throw badRequest(
        `invalid field selector: invalid escape sequence: ${nx === undefined ? '\\' : `\\${nx}`} (in ${JSON.stringify(term)})`,
      );
    }
    if (c === ',' || c === '=')
      throw badRequest(
        `invalid field selector: unescaped character ${JSON.stringify(c)} in value (in ${JSON.stringify(term)}); escape it as \\${c}`,
      );
    out += c;
  }
  return out;
}

/** Splits on unescaped commas. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === ',') {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function parseTerm(term: string, selector: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '\\') {
      i++;
      continue;
    }
    let op: '=' | '!=' | undefined;
    let len = 0;
    if (c === '!' && term[i + 1] === '=') [op, len] = ['!=', 2];
    else if (c === '=' && term[i + 1] === '=') [op, len] = ['=', 2];
    else if (c === '=') [op, len] = ['=', 1];
    if (op) {
      const field = term.slice(0, i).trim();
      if (field === '') break;
      return Object.freeze({ field, operator: op, value: unescapeValue(term.slice(i + len), term) });
    }
  }
  throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
}

/**
 * A parsed field selector: terms ANDed. Parse with `parseFieldSelector`, then compile
 * against a kind's fields with `matcher`.
 */
export class FieldSelector {
  /** The selector that selects everything. */
  static readonly everything: FieldSelector = new FieldSelector([]);

  /** The terms, in the order written. */
  readonly requirements: readonly FieldRequirement[];

  /** Builds a selector from terms. */
  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = Object.freeze([...requirements]);
  }

  /** True when the selector has no terms (selects everything). */
  get empty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value an `=` term requires of a field, if any (e.g. the node name of `spec.nodeName=n1`), for index lookups. */
  requiredValue(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator === '=') return r.value;
    return undefined;
  }

  /** The selector in the string syntax, values escaped. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }

  /**
   * Compiles the selector against the selectable fields of a kind (`metadata.name` and
   * `metadata.namespace` are always there). A field the kind does not support fails with the
   * BadRequest Kubernetes sends: `field label not supported: <field>`.
   */
  matcher<T extends KubeObject = KubeObject>(fields?: Readonly<Record<string, FieldGetter<T>>>): (obj: T) => boolean {
    const tests: ((o: T) => boolean)[] = [];
    for (const r of this.requirements) {
      const get = fields?.[r.field] ?? (COMMON_SELECTABLE_FIELDS[r.field] as FieldGetter<T> | undefined);
      if (!get) throw badRequest(`field label not supported: ${r.field}`);
      const want = r.value;
      tests.push(r.operator === '=' ? (o) => (get(o) ?? '') === want : (o) => (get(o) ?? '') !== want);
    }
    if (tests.length === 0) return () => true;
    if (tests.length === 1) return tests[0]!;
    return (o) => {
      for (const t of tests) if (!t(o)) return false;
      return true;
    };
  }
}

/**
 * Parses a field selector (`a=b`, `a==b`, `a!=b`, comma-separated; `\,`, `\=` and `\\` escape
 * those characters in values). The empty string selects everything. Bad syntax fails with
 * Kubernetes' BadRequest: `invalid selector: '<selector>'; can't understand '<term>'`.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const s = selector.trim();
  if (s === '') return FieldSelector.everything;
  return new FieldSelector(splitTerms(s).map((t) => parseTerm(t, s)));
}
