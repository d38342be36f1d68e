/**
 * A parsed label selector: a list of requirements, ANDed, compiled once into one test.
 *
 * Build one from the string syntax with `parseLabelSelector`, or from a `metav1.LabelSelector`
 * object (matchLabels / matchExpressions) with `labelSelectorFromObject`; convert back with
 * `toString()` / `toLabelSelector()`.
 */
import { badRequest } from '../api/errors.js';
import type { LabelSelector, LabelSelectorRequirement } from '../kinds/schema/meta.schema.js';
import { requirementString, requirementTest, type LabelRequirement, type Labels } from './label-requirement.js';

/**
 * A compiled label selector. Requirements are kept sorted by key (as Kubernetes keeps them),
 * so two selectors with the same requirements print the same string.
 *
 * Invariants: `requirements` is sorted by key; `matchesNothing` selectors have no requirements.
 */
export class LabelSelectorMatcher {
  /** The selector that matches every label set (the empty selector). */
  static readonly everything: LabelSelectorMatcher = new LabelSelectorMatcher([]);
  /** The selector that matches nothing (what a nil `metav1.LabelSelector` means). */
  static readonly nothing: LabelSelectorMatcher = new LabelSelectorMatcher([], true);

  /** The requirements, sorted by key; an object matches when it meets all of them. */
  readonly requirements: readonly LabelRequirement[];
  /** True for the selector that matches nothing. */
  readonly matchesNothing: boolean;
  private readonly test: (labels: Labels) => boolean;

  /** Builds a selector from validated requirements (see `labelRequirement`). */
  constructor(requirements: readonly LabelRequirement[], matchesNothing = false) {
    this.requirements = Object.freeze([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
    this.matchesNothing = matchesNothing;
    this.test = compile(this.requirements, matchesNothing);
  }

  /** Whether a label set (e.g. `obj.metadata.labels`) meets every requirement. */
  matches(labels: Labels): boolean {
    return this.test(labels);
  }

  /** True for the empty selector, which matches everything. */
  get empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  /** The selector in the string syntax, e.g. `app=web,tier in (be,fe)`; `''` when empty. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }

  /**
   * The selector as a `metav1.LabelSelector` object: `=` requirements go to matchLabels, the
   * rest to matchExpressions (`!=` becomes `NotIn` with one value). `gt`/`lt` have no object
   * form and fail with BadRequest.
   */
  toLabelSelector(): LabelSelector {
    const matchLabels: Record<string, string> = {};
    const matchExpressions: LabelSelectorRequirement[] = [];
    for (const r of this.requirements) {
      switch (r.operator) {
        case '=':
          matchLabels[r.key] = r.values[0]!;
          break;
        case '!=':
          matchExpressions.push({ key: r.key, operator: 'NotIn', values: [r.values[0]!] });
          break;
        case 'in':
          matchExpressions.push({ key: r.key, operator: 'In', values: [...r.values] });
          break;
        case 'notin':
          matchExpressions.push({ key: r.key, operator: 'NotIn', values: [...r.values] });
          break;
        case 'exists':
          matchExpressions.push({ key: r.key, operator: 'Exists' });
          break;
        case '!':
          matchExpressions.push({ key: r.key, operator: 'DoesNotExist' });
          break;
        default:
          throw badRequest(
            `"${requirementString(r)}" cannot be expressed as a label selector object: the ${r.operator === 'gt' ? 'Gt' : 'Lt'} operator is only valid in the string syntax`,
          );
      }
    }
    const out: LabelSelector = {};
    if (Object.keys(matchLabels).length > 0) out.matchLabels = matchLabels;
    if (matchExpressions.length > 0) out.matchExpressions = matchExpressions;
    return out;
  }
}

function compile(reqs: readonly LabelRequirement[], nothing: boolean): (labels: Labels) => boolean {
  if (nothing) return () => false;
  if (reqs.length === 0) return () => true;
  // Pure equality selectors (the common case: matchLabels) get a tight loop without closures.
  if (reqs.every((r) => r.operator === '=')) {
    const keys = reqs.map((r) => r.key);
    const values = reqs.map((r) => r.values[0]);
    const n = keys.length;
    if (n === 1) {
      const k = keys[0]!;
      const v = values[0];
      return (l) => l !== undefined && l[k] === v;
    }
    return (l) => {
      if (l === undefined) return false;
      for (let i = 0; i < n; i++) if (l[keys[i]!] !== values[i]) return false;
      return true;
    };
  }
  const tests = reqs.map(requirementTest);
  if (tests.length === 1) return tests[0]!;
  return (l) => {
    for (const t of tests) if (!t(l)) return false;
    return true;
  };
}
