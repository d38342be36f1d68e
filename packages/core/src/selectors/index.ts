/**
 * `@converge/core/selectors`: label- and field-selector machinery, for servers and caches
 * that filter objects: requirements, the compiled label matcher, field selectors with their
 * per-kind fields, and list/watch selection compiled from options.
 *
 * Matching an object against a `LabelSelector`, and parsing or formatting one, are in
 * `@converge/core`.
 *
 * @module selectors
 */
export type { LabelOperator, LabelRequirement } from './label-requirement.js';
export { labelRequirement } from './label-requirement.js';
export { LabelSelectorMatcher } from './label-selector.js';
export { parseToLabelSelectorObject } from './label-selector-object.js';
export type { FieldGetter, FieldRequirement } from './field-selector.js';
export { FieldSelector, parseFieldSelector, escapeFieldValue, COMMON_SELECTABLE_FIELDS } from './field-selector.js';
export type { ObjectSelectionOptions } from './object-selection.js';
export { compileObjectSelection } from './object-selection.js';
