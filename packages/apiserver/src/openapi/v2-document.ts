/**
 * The Swagger 2.0 document Kubernetes serves at `/openapi/v2`: every group-version in one
 * document, `definitions` instead of `components.schemas`, written from the v3 documents by
 * rewriting what Swagger 2.0 cannot say (`oneOf`/`anyOf`, `nullable`, request bodies, content
 * maps) the way Kubernetes' own v2 document says it.
 */
import { V3_REF_PREFIX } from './openapi-names.js';
import type { OpenAPIV3Document } from './v3-documents.js';

/** A Swagger 2.0 document as a plain object. */
export type SwaggerDocument = Record<string, unknown>;

const V2_REF_PREFIX = '#/definitions/';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A schema in its Swagger 2.0 form. */
export function toV2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV2Schema);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  const allOf = schema.allOf;
  // `{allOf: [{$ref}], description}` is how v3 puts a description beside a reference; v2 writes them side by side.
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === 'string') {
    out.$ref = (allOf[0].$ref as string).replace(V3_REF_PREFIX, V2_REF_PREFIX);
    for (const [k, v] of Object.entries(schema)) if (k !== 'allOf' && k !== 'default' && k !== 'nullable') out[k] = toV2Schema(v);
    return out;
  }
  const union = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'oneOf' || k === 'anyOf' || k === 'nullable') continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(V3_REF_PREFIX, V2_REF_PREFIX);
    else if (k === 'properties' && isObject(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toV2Schema(s)]));
    else out[k] = toV2Schema(v);
  }
  if (Array.isArray(union) && out.type === undefined) {
    const types = union.filter(isObject).map((b) => b.type);
    // An int-or-string or a quantity: Kubernetes' v2 document calls both strings.
    if (schema['x-kubernetes-int-or-string'] === true || (types.includes('integer') && types.includes('string'))) {
      out.type = 'string';
      out.format ??= 'int-or-string';
    } else if (types.includes('string')) {
      out.type = 'string';
    }
  }
  return out;
}

function v2Parameter(p: unknown): unknown {
  if (!isObject(p) || !isObject(p.schema)) return p;
  const { schema, ...rest } = p;
  return { ...rest, ...(toV2Schema(schema) as Record<string, unknown>) };
}

function v2Operation(op: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const consumes = new Set<string>();
  const produces = new Set<string>();
  const parameters: unknown[] = Array.isArray(op.parameters) ? op.parameters.map(v2Parameter) : [];
  for (const [k, v] of Object.entries(op)) {
    if (k === 'parameters') continue;
    if (k === 'requestBody' && isObject(v) && isObject(v.content)) {
      const [type, media] = Object.entries(v.content)[0] ?? [];
      for (const t of Object.keys(v.content)) consumes.add(t);
      if (type && isObject(media))
        parameters.push({ name: 'body', in: 'body', required: v.required === true, schema: toV2Schema(media.schema) });
      continue;
    }
    if (k === 'responses' && isObject(v)) {
      const responses: Record<string, unknown> = {};
      for (const [code, r] of Object.entries(v)) {
        if (!isObject(r)) continue;
        const resp: Record<string, unknown> = { description: r.description };
        if (isObject(r.content)) {
          const first = Object.values(r.content)[0];
          for (const t of Object.keys(r.content)) produces.add(t);
          if (isObject(first) && first.schema) resp.schema = toV2Schema(first.schema);
        }
        responses[code] = resp;
      }
      out.responses = responses;
      continue;
    }
    out[k] = v;
  }
  if (consumes.size) out.consumes = [...consumes];
  if (produces.size) out.produces = [...produces];
  out.schemes = ['https'];
  if (parameters.length) out.parameters = parameters;
  return out;
}

/** Merges v3 group-version documents into one Swagger 2.0 document. */
export function swaggerDocument(v3: readonly OpenAPIV3Document[], version: string): SwaggerDocument {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const doc of v3) {
    for (const [path, item] of Object.entries(doc.paths)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(item)) {
        if (k === 'parameters' && Array.isArray(v)) out.parameters = v.map(v2Parameter);
        else if (isObject(v)) out[k] = v2Operation(v);
      }
      paths[path] = out;
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) if (!(name in definitions)) definitions[name] = toV2Schema(schema);
  }
  const sortedKeys = <T>(o: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version },
    paths: sortedKeys(paths),
    definitions: sortedKeys(definitions),
    securityDefinitions: {
      BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}

/** Reads a v2 `$ref` back to the definition name. */
export function v2RefName(ref: string): string | undefined {
  return ref.startsWith(V2_REF_PREFIX) ? ref.slice(V2_REF_PREFIX.length) : undefined;
}
