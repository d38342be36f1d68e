/**
 * Field errors worded as Kubernetes words them (`k8s.io/apimachinery/pkg/util/validation/field`):
 * each is a `StatusCause` with a reason such as `FieldValueInvalid` and a message such as
 * `Invalid value: -1: must be greater than or equal to 0`.
 */
import type { StatusCause } from '../../api/meta.js';

/** Formats a bad value the way Kubernetes' field errors print it: strings quoted, numbers bare, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** `Required value` (FieldValueRequired), optionally with detail. */
export function requiredValue(field: string, detail?: string): StatusCause {
  return { reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field };
}

/** `Invalid value: <value>: <detail>` (FieldValueInvalid). */
export function invalidValue(field: string, value: unknown, detail?: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${formatValue(value)}${detail ? `: ${detail}` : ''}`, field };
}

/** `Invalid value: <value>: <detail>` for a value of the wrong JSON type (FieldValueTypeInvalid). */
export function typeInvalid(field: string, value: unknown, detail: string): StatusCause {
  return { reason: 'FieldValueTypeInvalid', message: `Invalid value: ${formatValue(value)}: ${detail}`, field };
}

/** `Unsupported value: <value>: supported values: "a", "b"` (FieldValueNotSupported). */
export function notSupported(field: string, value: unknown, supported: readonly string[]): StatusCause {
  const list = supported.map((v) => JSON.stringify(v)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${formatValue(value)}${supported.length ? `: supported values: ${list}` : ''}`,
    field,
  };
}

/** `Duplicate value: <value>` (FieldValueDuplicate). */
export function duplicateValue(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${formatValue(value)}`, field };
}

/** `Forbidden: <detail>` (FieldValueForbidden). */
export function forbiddenField(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field };
}

/** `Too long: may not be more than <n> bytes` (FieldValueTooLong). */
export function tooLong(field: string, max: number, unit = 'bytes'): StatusCause {
  return { reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} ${unit}`, field };
}

/** `Too many: <n>: must have at most <max> items` (FieldValueTooMany). */
export function tooMany(field: string, actual: number, max: number): StatusCause {
  return { reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items`, field };
}

/** `Not found: <value>` (FieldValueNotFound). */
export function notFoundValue(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${formatValue(value)}`, field };
}

/** The message Kubernetes gives when an immutable field changes. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** `Invalid value: <value>: field is immutable` (FieldValueInvalid), as on an update that changes an immutable field. */
export function immutableField(field: string, value: unknown): StatusCause {
  return invalidValue(field, value, FIELD_IMMUTABLE);
}

/** Builds a field path: `join('spec', 'containers', 0, 'image')` = `spec.containers[0].image`. */
export function fieldPath(...parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (p.startsWith('[')) out += p;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/** The path of a map entry: `key(metadata.labels, 'app')` = `metadata.labels[app]`. */
export function keyPath(base: string, key: string): string {
  return `${base}[${key}]`;
}
