/**
 * Postings: strings under which the grouped pod indexes file their groups, so that finding
 * the groups a label selector can match takes a lookup instead of a test of every group. A
 * pod group is filed under each of its labels (`key=value`); a selector is looked up through
 * its most selective `=` or `in` requirement, which any label set it matches must meet. A
 * group found this way is still tested in full: postings only narrow the candidates.
 */
import type { Labels } from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';

/** The posting a term without an `=` or `in` requirement is filed under: every pod is a candidate for it. */
export const ANY_LABELS_POSTING = '\u0002*';

/** The posting of one label. */
export function labelPosting(key: string, value: string): string {
  return `${key}\u0001${value}`;
}

/** The postings of a label set (one per label). */
export function labelPostings(labels: Labels): string[] {
  if (!labels) return [];
  const out: string[] = [];
  for (const k of Object.keys(labels)) out.push(labelPosting(k, labels[k]!));
  return out;
}

/**
 * The postings among which every label set the selector matches has one: those of its `=` or
 * `in` requirement with the fewest values; undefined when it has none (any label set may
 * match); empty when the selector matches nothing.
 */
export function selectorPostings(selector: LabelSelectorMatcher): readonly string[] | undefined {
  if (selector.matchesNothing) return [];
  let best: LabelSelectorMatcher['requirements'][number] | undefined;
  for (const r of selector.requirements) {
    if ((r.operator === '=' || r.operator === 'in') && (!best || r.values.length < best.values.length)) best = r;
  }
  if (!best) return undefined;
  const key = best.key;
  return best.values.map((v) => labelPosting(key, v));
}

/** The postings a term's selector is filed under in an index of terms: its own, or `ANY_LABELS_POSTING`. */
export function termPostings(selector: LabelSelectorMatcher): readonly string[] {
  return selectorPostings(selector) ?? [ANY_LABELS_POSTING];
}

/** The postings to look up to find every term (filed by `termPostings`) that may match `labels`. */
export function termLookupPostings(labels: Labels): string[] {
  const out = labelPostings(labels);
  out.push(ANY_LABELS_POSTING);
  return out;
}
