/**
 * Small builders for Kubernetes-shaped zod schemas: every field optional unless said
 * otherwise, every field described, list fields carrying the OpenAPI list metadata
 * (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-patch-*`) that
 * strategic merge patch, server-side apply and `kubectl apply` read.
 *
 * The metadata is attached with zod's `.meta()`, so `z.toJSONSchema` emits it verbatim.
 */
import { z } from 'zod';

/** A JSON-Schema fragment of OpenAPI extensions attached to a schema. */
export type SchemaMeta = Record<string, unknown>;

/** An optional string field. */
export function str(description: string, meta: SchemaMeta = {}) {
  return z
    .string()
    .optional()
    .meta({ description, ...meta });
}

/** A required string field. */
export function reqStr(description: string, meta: SchemaMeta = {}) {
  return z.string().meta({ description, ...meta });
}

/** An optional 32-bit integer field. */
export function int32(description: string, meta: SchemaMeta = {}) {
  return z
    .int32()
    .optional()
    .meta({ description, format: 'int32', ...meta });
}

/** A required 32-bit integer field. */
export function reqInt32(description: string, meta: SchemaMeta = {}) {
  return z.int32().meta({ description, format: 'int32', ...meta });
}

/** An optional 64-bit integer field (a JavaScript safe integer). */
export function int64(description: string, meta: SchemaMeta = {}) {
  return z
    .int()
    .optional()
    .meta({ description, format: 'int64', ...meta });
}

/** An optional floating-point field. */
export function num(description: string, meta: SchemaMeta = {}) {
  return z
    .number()
    .optional()
    .meta({ description, format: 'double', ...meta });
}

/** An optional boolean field. */
export function bool(description: string) {
  return z.boolean().optional().meta({ description });
}

/** An optional string field restricted to the given values. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V, description: string) {
  return z.enum(values).optional().meta({ description });
}

/** An optional RFC 3339 timestamp (`metav1.Time`), a string on the wire. */
export function time(description: string) {
  return z.string().optional().meta({ description, format: 'date-time' });
}

/** An optional map of strings to strings (labels, annotations, node selectors, data). */
export function strMap(description: string) {
  return z.record(z.string(), z.string()).optional().meta({ description });
}

/** An optional atomic list of strings (replaced as a whole by merges). */
export function strList(description: string, meta: SchemaMeta = {}) {
  return z
    .array(z.string())
    .optional()
    .meta({ description, 'x-kubernetes-list-type': 'atomic', ...meta });
}

/** An optional list of strings treated as a set (merged by value). */
export function strSet(description: string, meta: SchemaMeta = {}) {
  return z
    .array(z.string())
    .optional()
    .meta({ description, 'x-kubernetes-list-type': 'set', ...meta });
}

/** The two shapes an int-or-string (`intstr.IntOrString`) field accepts. */
const intOrStringShape = () => z.union([z.int(), z.string()]);

/** An optional int-or-string field such as `maxSurge` or `targetPort`. */
export function intOrString(description: string) {
  return intOrStringShape().optional().meta({ description, 'x-kubernetes-int-or-string': true });
}

/** The pattern a resource quantity (`resource.Quantity`) string must match. */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/** A required quantity: a number or a string such as `100m`, `1Gi`, `2`. */
export function quantityValue(description = 'A quantity: a number or a string such as 100m, 128Mi or 2.') {
  return z
    .union([z.number(), z.string().regex(new RegExp(QUANTITY_PATTERN))])
    .meta({ description, 'x-kubernetes-int-or-string': true, format: 'quantity' });
}

/** An optional quantity field. */
export function quantity(description: string) {
  return quantityValue(description).optional().meta({ description });
}

/** An optional map of resource names to quantities (`ResourceList`: cpu, memory, pods, ...). */
export function resourceList(description: string) {
  return z.record(z.string(), quantityValue()).optional().meta({ description });
}

/** An optional object accepted loosely: any fields are kept, none are checked. */
export function loose(description: string) {
  return z.record(z.string(), z.unknown()).optional().meta({ description, 'x-kubernetes-preserve-unknown-fields': true });
}

/** Options of a list field merged by key. */
export interface KeyedListOptions {
  /** The keys identifying an item for server-side apply (`x-kubernetes-list-map-keys`); default the merge key. */
  mapKeys?: readonly string[];
  /** The patch strategy; default `merge`. */
  strategy?: string;
  /** Omit the strategic-merge metadata (list is map-typed for apply only). */
  noPatchStrategy?: boolean;
}

/** An optional list of objects merged by a key (containers by `name`, ports by `containerPort`, ...). */
export function keyedList<T extends z.ZodType>(item: T, mergeKey: string, description: string, options: KeyedListOptions = {}) {
  const meta: SchemaMeta = {
    description,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [...(options.mapKeys ?? [mergeKey])],
  };
  if (!options.noPatchStrategy) {
    meta['x-kubernetes-patch-merge-key'] = mergeKey;
    meta['x-kubernetes-patch-strategy'] = options.strategy ?? 'merge';
  }
  return z.array(item).optional().meta(meta);
}

/** An optional list replaced as a whole by merges (`x-kubernetes-list-type: atomic`). */
export function atomicList<T extends z.ZodType>(item: T, description: string, meta: SchemaMeta = {}) {
  return z
    .array(item)
    .optional()
    .meta({ description, 'x-kubernetes-list-type': 'atomic', ...meta });
}

/** A list of conditions merged by `type`. */
export function conditionList<T extends z.ZodType>(item: T, description: string, listType: 'map' | 'atomic' = 'map') {
  const meta: SchemaMeta = {
    description,
    'x-kubernetes-patch-merge-key': 'type',
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': listType,
  };
  if (listType === 'map') meta['x-kubernetes-list-map-keys'] = ['type'];
  return z.array(item).optional().meta(meta);
}

/** Describes an object schema (the description of the type, used where the field has none). */
export function obj<S extends z.ZodRawShape>(shape: S, description: string) {
  return z.object(shape).meta({ description });
}

/** Makes a (described) object schema an optional field with its own description. */
export function field<T extends z.ZodType>(schema: T, description: string) {
  return schema.optional().meta({ description });
}
