/**
 * `@converge/core/validation`: the checks the registry runs on every write, for servers and
 * admission code. Whole-object validation against a definition, structural schemas of custom
 * resources, the field-error constructors and the mapping of zod issues onto them, metadata and
 * label-selector validation, name rules and quantities.
 *
 * @module validation
 */
export type { ValidateObjectOptions, ValidationResult } from './validate-object.js';
export { validateObject } from './validate-object.js';
export type { JSONSchemaNode } from './structural-schema.js';
export { compileStructuralSchema } from './structural-schema.js';
export { zodIssuesToCauses } from './zod-issues.js';
export {
  requiredValue,
  invalidValue,
  typeInvalid,
  notSupported,
  duplicateValue,
  forbiddenField,
  tooLong,
  tooMany,
  immutableField,
  formatValue,
} from './field-errors.js';
export { validateObjectMeta, validateLabelSelector } from './object-meta.validation.js';
export type { NameRule } from './name-rules.js';
export { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from './name-rules.js';
export { parseQuantity } from './quantity.js';
