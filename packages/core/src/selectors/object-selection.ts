/**
 * The selection of a LIST, WATCH or DELETECOLLECTION: its label and field selectors compiled
 * into one predicate over objects.
 */
import type { KubeObject } from '../api/meta.js';
import { parseFieldSelector, type FieldGetter } from './field-selector.js';
import { parseLabelSelector } from './label-selector-parser.js';

/** Inputs of `compileObjectSelection`. */
export interface ObjectSelectionOptions<T extends KubeObject = KubeObject> {
  /** A label selector in the string syntax. */
  labelSelector?: string | undefined;
  /** A field selector in the string syntax. */
  fieldSelector?: string | undefined;
  /** The kind's selectable fields beyond `metadata.name` / `metadata.namespace` (its strategy's `selectableFields`). */
  fields?: Readonly<Record<string, FieldGetter<T>>> | undefined;
}

/**
 * Compiles label and field selectors into one predicate, or `undefined` when they select
 * everything (so callers can skip filtering). Throws BadRequest StatusErrors for bad syntax
 * and unsupported fields.
 */
export function compileObjectSelection<T extends KubeObject = KubeObject>(
  options: ObjectSelectionOptions<T>,
): ((obj: T) => boolean) | undefined {
  const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
  const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector) : undefined;
  const fieldTest = fields && !fields.empty ? fields.matcher(options.fields) : undefined;
  if (labels && !labels.empty) {
    if (fieldTest) return (o) => labels.matches(o.metadata.labels) && fieldTest(o);
    return (o) => labels.matches(o.metadata.labels);
  }
  return fieldTest;
}
