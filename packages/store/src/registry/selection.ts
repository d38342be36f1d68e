import { badRequest, type KubeObject, type SelectOptions } from '@converge/core';
import type { KindInfo } from './kind-info.js';

/** A test an object passes or not. */
export type ObjectPredicate = (obj: KubeObject) => boolean;

/** A `metav1.LabelSelector`: matchLabels ANDed with matchExpressions. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Requirement = { key: string; op: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin'; values: string[] };

/**
 * Compiles the label and field selectors of a LIST or WATCH into one predicate; undefined
 * when nothing is selected. Bad syntax and unknown fields fail with BadRequest.
 *
 * TEMPORARY parsing: stands in until core's selector parsers land.
 */
export function compileSelection(info: KindInfo, options: SelectOptions): ObjectPredicate | undefined {
  const tests: ObjectPredicate[] = [];
  if (options.labelSelector && options.labelSelector.trim()) {
    const reqs = parseLabelSelector(options.labelSelector);
    tests.push((o) => matchRequirements(reqs, o.metadata.labels));
  }
  if (options.fieldSelector && options.fieldSelector.trim()) {
    for (const term of splitTerms(options.fieldSelector)) {
      const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
      if (!m) throw badRequest(`invalid field selector: ${JSON.stringify(term)}`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      const get = fieldGetter(info, field);
      tests.push(op === '!=' ? (o) => (get(o) ?? '') !== value : (o) => (get(o) ?? '') === value);
    }
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (o) => tests.every((t) => t(o));
}

function fieldGetter(info: KindInfo, field: string): (o: KubeObject) => string | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace;
  const f = info.def.strategy?.selectableFields?.[field];
  if (!f) {
    const known = ['metadata.name', 'metadata.namespace', ...Object.keys(info.def.strategy?.selectableFields ?? {})];
    throw badRequest(`field label not supported: ${field} (known: ${known.join(', ')})`);
  }
  return f as (o: KubeObject) => string | undefined;
}

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((t) => t.trim() !== '');
}

function parseLabelSelector(s: string): Requirement[] {
  return splitTerms(s).map((term) => {
    const t = term.trim();
    let m = /^!\s*([\w./-]+)$/.exec(t);
    if (m) return { key: m[1]!, op: '!exists', values: [] };
    m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) };
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(t);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
    m = /^([\w./-]+)$/.exec(t);
    if (m) return { key: m[1]!, op: 'exists', values: [] };
    throw badRequest(`unable to parse requirement: ${JSON.stringify(t)}`);
  });
}

function matchRequirements(reqs: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) {
    const v = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        if (v === undefined) return false;
        break;
      case '!exists':
        if (v !== undefined) return false;
        break;
      case '=':
        if (v !== r.values[0]) return false;
        break;
      case '!=':
        if (v === r.values[0]) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
    }
  }
  return true;
}

/** Whether labels match a `metav1.LabelSelector` (an empty selector matches everything). */
export function matchesLabelSelector(selector: LabelSelectorObject, labels: Record<string, string> | undefined): boolean {
  return matchRequirements(requirementsOf(selector), labels);
}

/** Formats a `metav1.LabelSelector` in the string syntax (`a=b,c in (d,e)`), as the scale subresource reports it. */
export function labelSelectorString(selector: LabelSelectorObject): string {
  return requirementsOf(selector)
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!exists':
          return `!${r.key}`;
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        default:
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
      }
    })
    .join(',');
}

function requirementsOf(selector: LabelSelectorObject): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) reqs.push({ key, op: '=', values: [value] });
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : e.operator === 'DoesNotExist' ? '!exists' : undefined;
    if (!op) throw badRequest(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}
