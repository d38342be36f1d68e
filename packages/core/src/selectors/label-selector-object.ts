/**
 * Conversions between `metav1.LabelSelector` objects (matchLabels / matchExpressions, as in
 * a Deployment's `spec.selector`) and compiled selectors and strings.
 */
import { badRequest } from '../api/errors.js';
import type { LabelSelector } from '../kinds/schema/meta.schema.js';
import { labelRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { parseLabelSelector } from './label-selector-parser.js';
import { LabelSelectorMatcher } from './label-selector.js';

const OPERATORS: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Compiles a `metav1.LabelSelector` object, as `metav1.LabelSelectorAsSelector` does: an empty
 * object selects everything, `null`/`undefined` selects nothing. An unknown operator, a bad
 * key or value fails with a BadRequest naming it.
 */
export function labelSelectorFromObject(selector: LabelSelector | null | undefined): LabelSelectorMatcher {
  if (selector === null || selector === undefined) return LabelSelectorMatcher.nothing;
  const ml = selector.matchLabels;
  const me = selector.matchExpressions;
  const nLabels = ml ? Object.keys(ml).length : 0;
  if (nLabels === 0 && (!me || me.length === 0)) return LabelSelectorMatcher.everything;
  const reqs: LabelRequirement[] = [];
  if (ml) for (const key in ml) reqs.push(labelRequirement(key, '=', [ml[key]!]));
  if (me)
    for (const e of me) {
      const op = OPERATORS[e.operator];
      if (!op) throw badRequest(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
      reqs.push(labelRequirement(e.key, op, e.values ?? []));
    }
  return new LabelSelectorMatcher(reqs);
}

/**
 * Parses the string syntax into a `metav1.LabelSelector` object (`metav1.ParseToLabelSelector`):
 * `a=b` goes to matchLabels, `a!=b` becomes `NotIn [b]`. `>`/`<` fail: they have no object form.
 */
export function parseToLabelSelectorObject(selector: string): LabelSelector {
  return parseLabelSelector(selector).toLabelSelector();
}

/**
 * Formats a `metav1.LabelSelector` object in the string syntax (`metav1.FormatLabelSelector`):
 * `app=web,tier in (be,fe)`; `<none>` for nil and `''` for the empty selector.
 */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  if (selector === null || selector === undefined) return '<none>';
  return labelSelectorFromObject(selector).toString();
}

/** Whether labels match a `metav1.LabelSelector` object (compiles it each call; keep the matcher when matching often). */
export function matchesLabelSelector(
  selector: LabelSelector | null | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return labelSelectorFromObject(selector).matches(labels);
}
