import {
  badRequest,
  formatLabelSelector,
  matchesLabelSelector as coreMatchesLabelSelector,
  type KubeObject,
  type LabelSelector,
  type SelectOptions,
} from '@converge/core';
import { compileObjectSelection } from '@converge/core/selectors';
import type { KindInfo } from './kind-info.js';

/** A test an object passes or not. */
export type ObjectPredicate = (obj: KubeObject) => boolean;

/** A `metav1.LabelSelector`: matchLabels ANDed with matchExpressions. */
export type LabelSelectorObject = LabelSelector;

/**
 * Compiles the label and field selectors of a LIST, WATCH or DELETECOLLECTION into one
 * predicate (core's selectors, with the kind's selectable fields); undefined when nothing is
 * selected. Bad syntax and unknown fields fail with BadRequest.
 */
export function compileSelection(info: KindInfo, options: SelectOptions): ObjectPredicate | undefined {
  if (!options.labelSelector && !options.fieldSelector) return undefined;
  if (options.labelSelector && typeof options.labelSelector !== 'string') throw badRequest('labelSelector must be a string');
  if (options.fieldSelector && typeof options.fieldSelector !== 'string') throw badRequest('fieldSelector must be a string');
  return compileObjectSelection<KubeObject>({
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    fields: info.def.strategy?.selectableFields as Readonly<Record<string, (o: KubeObject) => string | undefined>> | undefined,
  });
}

/** Whether labels match a `metav1.LabelSelector` (an empty selector matches everything). */
export function matchesLabelSelector(selector: LabelSelectorObject, labels: Record<string, string> | undefined): boolean {
  return coreMatchesLabelSelector(selector, labels);
}

/** Formats a `metav1.LabelSelector` in the string syntax (`a=b,c in (d,e)`), as the scale subresource reports it. */
export function labelSelectorString(selector: LabelSelectorObject): string {
  return formatLabelSelector(selector);
}
