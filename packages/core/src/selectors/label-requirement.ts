/**
 * One requirement of a label selector (`app=web`, `tier in (fe,be)`, `!canary`, `rank>3`),
 * validated the way Kubernetes validates it (`labels.NewRequirement`) and compiled into a
 * fast test.
 */
import { badRequest } from '../api/errors.js';
import { isQualifiedName, isValidLabelValue } from '../kinds/validation/name-rules.js';

/**
 * The operators of a label requirement, spelled as in the string syntax: `exists` is a bare
 * key, `!` is `!key`, `gt`/`lt` are `key>n` / `key<n` (integer comparisons).
 */
export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** A validated label requirement: a key, an operator and its values (sorted, duplicates removed). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** One value for `=`, `!=`, `gt`, `lt`; one or more for `in`/`notin`; none for `exists`/`!`. */
  readonly values: readonly string[];
}

/** The labels a selector is matched against (absent labels = no labels). */
export type Labels = Readonly<Record<string, string>> | undefined;

/**
 * Checks a requirement and returns it normalised (values sorted and de-duplicated). Throws a
 * BadRequest naming the key or value at fault, as `labels.NewRequirement` words it.
 */
export function labelRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) throw badRequest(`invalid label key "${key}": ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        throw badRequest(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty (key "${key}")`);
      break;
    case '=':
    case '!=':
      if (values.length !== 1)
        throw badRequest(
          `values: Invalid value: ${JSON.stringify(values)}: exact-match compatibility requires one single value (key "${key}")`,
        );
      break;
    case 'exists':
    case '!':
      if (values.length !== 0)
        throw badRequest(
          `values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist (key "${key}")`,
        );
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1)
        throw badRequest(
          `values: Invalid value: ${JSON.stringify(values)}: for 'Gt', 'Lt' operators, exactly one value is required (key "${key}")`,
        );
      if (!/^-?\d+$/.test(values[0]!))
        throw badRequest(`values[0]: Invalid value: "${values[0]}": for 'Gt', 'Lt' operators, the value must be an integer (key "${key}")`);
      return Object.freeze({ key, operator, values: Object.freeze([values[0]!]) });
    default:
      throw badRequest(
        `operator: Unsupported value: ${JSON.stringify(operator)}: supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"`,
      );
  }
  for (const v of values) {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) throw badRequest(`invalid label value: "${v}": at key: "${key}": ${errs.join('; ')}`);
  }
  const sorted = values.length <= 1 ? [...values] : [...new Set(values)].sort();
  return Object.freeze({ key, operator, values: Object.freeze(sorted) });
}

/** Compiles a requirement into a test of a label set. */
export function requirementTest(r: LabelRequirement): (labels: Labels) => boolean {
  const { key } = r;
  switch (r.operator) {
    case '=': {
      const want = r.values[0];
      return (l) => l !== undefined && l[key] === want;
    }
    case '!=': {
      const not = r.values[0];
      return (l) => l === undefined || l[key] !== not;
    }
    case 'in': {
      if (r.values.length === 1) {
        const want = r.values[0];
        return (l) => l !== undefined && l[key] === want;
      }
      const set = new Set(r.values);
      return (l) => {
        const v = l?.[key];
        return v !== undefined && set.has(v);
      };
    }
    case 'notin': {
      const set = new Set(r.values);
      return (l) => {
        const v = l?.[key];
        return v === undefined || !set.has(v);
      };
    }
    case 'exists':
      return (l) => l !== undefined && Object.hasOwn(l, key);
    case '!':
      return (l) => l === undefined || !Object.hasOwn(l, key);
    case 'gt':
    case 'lt': {
      const bound = Number(r.values[0]);
      const gt = r.operator === 'gt';
      return (l) => {
        const v = l?.[key];
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        return gt ? n > bound : n < bound;
      };
    }
  }
}

/** Formats a requirement in the string syntax (`a=b`, `a in (x,y)`, `!a`, `a>3`). */
export function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
      return `${r.key}=${r.values[0]}`;
    case '!=':
      return `${r.key}!=${r.values[0]}`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
  }
}
