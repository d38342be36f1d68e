/**
 * The JSON Schema (OpenAPI v3 flavour) of a kind, derived once from its zod schema and
 * cached: the source of the apiserver's OpenAPI documents, of the list metadata patches
 * read, of CRD manifests, and of the structural validator every write runs.
 */
import { z } from 'zod';
import type { ResourceDefinition } from '../../api/resource-type.js';
import type { JSONSchemaNode } from '../validation/structural-schema.js';

const cache = new WeakMap<object, JSONSchemaNode>();

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Cleans zod's output into the OpenAPI form Kubernetes publishes (no `$schema`, no `propertyNames`, no implied integer bounds). */
export function tidyJSONSchema(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) tidyJSONSchema(n);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  delete n.$schema;
  delete n.propertyNames;
  if (n.type === 'integer') {
    if (n.minimum === Number.MIN_SAFE_INTEGER || (n.format === 'int32' && n.minimum === INT32_MIN)) delete n.minimum;
    if (n.maximum === Number.MAX_SAFE_INTEGER || (n.format === 'int32' && n.maximum === INT32_MAX)) delete n.maximum;
    if (n.format === undefined && n.minimum === INT32_MIN && n.maximum === INT32_MAX) {
      delete n.minimum;
      delete n.maximum;
      n.format = 'int32';
    }
  }
  // An int-or-string's branches keep only their types (and a pattern), as in CRD structural schemas.
  for (const k of ['properties', '$defs', 'definitions']) {
    const m = n[k];
    if (m && typeof m === 'object') for (const v of Object.values(m)) tidyJSONSchema(v);
  }
  for (const k of ['items', 'additionalProperties', 'not']) if (n[k] && typeof n[k] === 'object') tidyJSONSchema(n[k]);
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(n[k])) tidyJSONSchema(n[k]);
}

/** Converts a zod schema to the tidy JSON Schema form (no caching). */
export function zodToJSONSchema(schema: z.ZodType): JSONSchemaNode {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JSONSchemaNode;
  tidyJSONSchema(out);
  return out;
}

/** Registers the JSON Schema of a definition that has no zod source (a CRD created through the API). */
export function registerJSONSchema(def: object, schema: JSONSchemaNode): void {
  cache.set(def, schema);
}

/**
 * The JSON Schema of a kind's objects, with descriptions and the `x-kubernetes-*` list and
 * int-or-string extensions; computed once per definition. Shared: do not mutate it.
 */
export function jsonSchemaOf(def: Pick<ResourceDefinition, 'schema'>): JSONSchemaNode {
  let s = cache.get(def);
  if (!s) {
    s = zodToJSONSchema(def.schema);
    cache.set(def, s);
  }
  return s;
}
