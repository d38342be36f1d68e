import { afterAll, describe, expect, test } from 'vitest';
import protobuf from 'protobufjs';
import { parse as yamlParse } from 'yaml';
import { z } from 'zod';
import { defineCustomResource } from '@converge/core';
import { createBuiltinCatalog, ResourceCatalog } from '@converge/core/kinds';
import { OpenAPIService } from './openapi-service.js';
import { decodeOpenAPIV2Protobuf, encodeOpenAPIV2Protobuf } from './v2-protobuf.js';

type Msg = Record<string, unknown>;
type Schema = Record<string, unknown>;

const service = new OpenAPIService({ catalog: createBuiltinCatalog() });
afterAll(() => service.close());

const json = JSON.parse(service.v2().json.toString('utf8')) as {
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, Msg>>;
};
const bytes = service.v2Protobuf().body;
const decoded = decodeOpenAPIV2Protobuf(bytes);

const yamlOf = (any: unknown): unknown => yamlParse(String((any as Msg).yaml), { version: '1.1' });
const named = <T = Msg>(pairs: unknown, name: string): T | undefined =>
  ((pairs ?? []) as { name: string; value: T }[]).find((p) => p.name === name)?.value;
const definitions = (doc: Msg): { name: string; value: Msg }[] =>
  (doc.definitions as Msg).additionalProperties as { name: string; value: Msg }[];
const definition = (doc: Msg, name: string): Msg => {
  const d = named(definitions(doc), name);
  if (!d) throw new Error(`no definition ${name}`);
  return d;
};
const field = (schema: Msg, name: string): Msg => named((schema.properties as Msg).additionalProperties, name)!;
const extensions = (m: Msg): Record<string, unknown> =>
  Object.fromEntries(((m.vendorExtension ?? []) as { name: string; value: Msg }[]).map((e) => [e.name, yamlOf(e.value)]));

/** Reads a decoded `openapi.v2.Schema` back into its JSON form (the inverse of the encoder, written independently). */
function schemaJSON(m: Msg): Schema {
  const out: Schema = {};
  if (m.xRef) out.$ref = m.xRef;
  for (const k of [
    'format',
    'title',
    'description',
    'pattern',
    'discriminator',
    'multipleOf',
    'maximum',
    'minimum',
    'maxLength',
    'minLength',
    'maxItems',
    'minItems',
    'maxProperties',
    'minProperties',
    'exclusiveMaximum',
    'exclusiveMinimum',
    'uniqueItems',
    'readOnly',
  ]) {
    if (m[k] !== undefined) out[k] = m[k];
  }
  if (m.default) out.default = yamlOf(m.default);
  if (m.example) out.example = yamlOf(m.example);
  if (m.required) out.required = m.required;
  if (m.enum) out.enum = (m.enum as Msg[]).map(yamlOf);
  if (m.type) {
    const t = (m.type as Msg).value as string[];
    out.type = t.length === 1 ? t[0] : t;
  }
  if (m.items) {
    const s = (m.items as Msg).schema as Msg[];
    out.items = s.length === 1 ? schemaJSON(s[0]!) : s.map(schemaJSON);
  }
  if (m.allOf) out.allOf = (m.allOf as Msg[]).map(schemaJSON);
  if (m.additionalProperties) {
    const ap = m.additionalProperties as Msg;
    out.additionalProperties = ap.schema ? schemaJSON(ap.schema as Msg) : ap.boolean;
  }
  if (m.properties)
    out.properties = Object.fromEntries(
      (((m.properties as Msg).additionalProperties ?? []) as { name: string; value: Msg }[]).map((p) => [p.name, schemaJSON(p.value)]),
    );
  Object.assign(out, extensions(m));
  return out;
}

/** Sorts object keys recursively, so that two JSON values compare regardless of key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/**
 * The checks kube-openapi's `proto.NewOpenAPIData` makes on every definition before kubectl can
 * use any of them (one failure and kubectl reports the whole document unusable).
 */
function kubectlModelErrors(doc: Msg): string[] {
  const names = new Set(definitions(doc).map((d) => d.name));
  const errors: string[] = [];
  const visit = (s: Msg, path: string): void => {
    const types = ((s.type as Msg | undefined)?.value ?? []) as string[];
    if (s.default) {
      try {
        yamlOf(s.default);
      } catch {
        errors.push(`${path}: default is not YAML`);
      }
    }
    if (s.xRef) {
      if (types.length) errors.push(`${path}: a reference with a type`);
      if (((s.properties as Msg | undefined)?.additionalProperties as unknown[] | undefined)?.length)
        errors.push(`${path}: a reference with properties`);
      const ref = String(s.xRef);
      if (!ref.startsWith('#/definitions/') || !names.has(ref.slice('#/definitions/'.length))) errors.push(`${path}: unresolved ${ref}`);
      return;
    }
    if (types.length > 1) errors.push(`${path}: several types`);
    const t = types[0];
    if (t === undefined || t === 'object') {
      if (s.properties)
        for (const p of ((s.properties as Msg).additionalProperties ?? []) as { name: string; value: Msg }[])
          visit(p.value, `${path}.${p.name}`);
      else if ((s.additionalProperties as Msg | undefined)?.schema) visit((s.additionalProperties as Msg).schema as Msg, `${path}[*]`);
    } else if (t === 'array') {
      const items = ((s.items as Msg | undefined)?.schema ?? []) as Msg[];
      if (items.length !== 1) errors.push(`${path}: an array without exactly one item schema`);
      else visit(items[0]!, `${path}[]`);
    } else if (!['string', 'number', 'integer', 'boolean'].includes(t)) errors.push(`${path}: unknown primitive type ${t}`);
  };
  for (const d of definitions(doc)) visit(d.value, d.name);
  return errors;
}

describe('the openapi.v2.Document encoding', () => {
  test('starts with the swagger version in field 1 and carries the definitions in field 9 (read with a bare wire reader)', () => {
    const reader = protobuf.Reader.create(bytes);
    const seen: number[] = [];
    let swagger = '';
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      seen.push(tag >>> 3);
      if (tag >>> 3 === 1) swagger = reader.string();
      else reader.skipType(tag & 7);
    }
    expect(swagger).toBe('2.0');
    expect(seen).toEqual([1, 2, 8, 9, 12, 13]); // swagger, info, paths, definitions, security, securityDefinitions
  });

  test('decodes back to every definition of the JSON document, with the same schema, references and extensions', () => {
    expect(decoded.swagger).toBe('2.0');
    expect(decoded.info).toEqual({ title: 'Kubernetes', version: 'v1.32.0' });
    expect(definitions(decoded).map((d) => d.name)).toEqual(Object.keys(json.definitions));
    for (const { name, value } of definitions(decoded))
      expect(canonical(schemaJSON(value)), name).toEqual(canonical(json.definitions[name]));
  });

  test('carries what kubectl reads: group-version-kinds, patch merge keys and strategies, references beside descriptions', () => {
    const deployment = definition(decoded, 'io.k8s.api.apps.v1.Deployment');
    expect(extensions(deployment)['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect((deployment.type as Msg).value).toEqual(['object']);
    expect(field(deployment, 'spec').xRef).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    const containers = field(definition(decoded, 'io.k8s.api.core.v1.PodSpec'), 'containers');
    expect(extensions(containers)).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(((containers.items as Msg).schema as Msg[])[0]).toEqual({ xRef: '#/definitions/io.k8s.api.core.v1.Container' });
    const strategy = field(definition(decoded, 'io.k8s.api.apps.v1.DeploymentSpec'), 'strategy');
    expect(strategy).toMatchObject({
      xRef: '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy',
      description: 'How old pods are replaced by new ones.',
    });
    const labels = field(definition(decoded, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 'labels');
    expect(labels.additionalProperties).toEqual({ schema: expect.objectContaining({ type: { value: ['string'] } }) });
  });

  test('passes the checks kubectl makes on every definition before it uses any', () => {
    expect(kubectlModelErrors(decoded)).toEqual([]);
  });

  test('carries the paths with their operations, parameters, responses and security', () => {
    const pathItem = named<Msg>((decoded.paths as Msg).path, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
    expect(
      (pathItem.parameters as Msg[])
        .map((p) => (p.parameter as Msg).nonBodyParameter as Msg)
        .some((p) => (p.pathParameterSubSchema as Msg | undefined)?.name === 'name'),
    ).toBe(true);
    const patch = pathItem.patch as Msg;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(extensions(patch)).toEqual({
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
    const params = (patch.parameters as Msg[]).map((p) => p.parameter as Msg);
    expect(
      params.find((p) => ((p.nonBodyParameter as Msg | undefined)?.queryParameterSubSchema as Msg | undefined)?.name === 'fieldValidation'),
    ).toBeDefined();
    const body = params.find((p) => p.bodyParameter)!.bodyParameter as Msg;
    expect(body).toMatchObject({
      name: 'body',
      in: 'body',
      required: true,
      schema: { xRef: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
    });
    const ok = named<Msg>((patch.responses as Msg).responseCode, '200')!;
    expect(ok.response).toMatchObject({ schema: { schema: { xRef: '#/definitions/io.k8s.api.apps.v1.Deployment' } } });
    expect(decoded.securityDefinitions).toEqual({
      additionalProperties: [
        {
          name: 'BearerToken',
          value: { apiKeySecurity: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } },
        },
      ],
    });
    expect(decoded.security).toEqual([{ additionalProperties: [{ name: 'BearerToken', value: {} }] }]);
  });

  test('writes YAML 1.1 text in Any, so strings a YAML 1.1 reader takes for booleans or numbers stay strings', () => {
    const doc = {
      swagger: '2.0',
      definitions: { T: { type: 'string', enum: ['yes', 'on', '1.0', 'plain'], default: 'no', 'x-note': { a: ['b', 2, true] } } },
    };
    const t = definition(decodeOpenAPIV2Protobuf(encodeOpenAPIV2Protobuf(doc)), 'T');
    const texts = (t.enum as Msg[]).map((a) => String(a.yaml).trim());
    expect(texts.slice(0, 3).every((s) => s.startsWith('"') || s.startsWith("'"))).toBe(true);
    expect(texts[3]).toBe('plain');
    expect(schemaJSON(t)).toEqual(doc.definitions.T);
  });

  test('keeps boolean additionalProperties, tuple items, empty properties and numeric bounds; leaves out keys Swagger 2.0 lacks', () => {
    const doc = {
      swagger: '2.0',
      definitions: {
        T: {
          type: 'object',
          properties: {
            free: { type: 'object', additionalProperties: false },
            pair: {
              type: 'array',
              items: [{ type: 'string' }, { type: 'integer', format: 'int64', minimum: -1.5, maximum: 9007199254740991 }],
            },
            empty: { type: 'object', properties: {} },
            odd: { type: 'string', nullable: true, oneOf: [{ type: 'string' }], minLength: 2, maxLength: 63, pattern: '^[a-z]+$' },
          },
        },
      },
    };
    const t = definition(decodeOpenAPIV2Protobuf(encodeOpenAPIV2Protobuf(doc)), 'T');
    expect(field(t, 'empty').properties).toEqual({});
    expect(schemaJSON(t)).toEqual({
      type: 'object',
      properties: {
        free: { type: 'object', additionalProperties: false },
        pair: {
          type: 'array',
          items: [{ type: 'string' }, { type: 'integer', format: 'int64', minimum: -1.5, maximum: 9007199254740991 }],
        },
        empty: { type: 'object', properties: {} },
        odd: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z]+$' },
      },
    });
  });

  test('drops the fields of a schema that preserves unknown fields, and the type of an array left without items, as Kubernetes publishes custom resources in v2', () => {
    const doc = {
      swagger: '2.0',
      definitions: {
        T: {
          type: 'object',
          properties: {
            open: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              description: 'Anything.',
              properties: { known: { type: 'string' } },
            },
            openList: { type: 'array', 'x-kubernetes-preserve-unknown-fields': true, items: { type: 'string' } },
            closed: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    };
    const t = definition(decodeOpenAPIV2Protobuf(encodeOpenAPIV2Protobuf(doc)), 'T');
    expect(schemaJSON(field(t, 'open'))).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      description: 'Anything.',
    });
    expect(schemaJSON(field(t, 'openList'))).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(schemaJSON(field(t, 'closed'))).toEqual({ type: 'array', items: { type: 'string' } });
  });
});

describe('the service', () => {
  test('caches the protobuf form and rebuilds it, with a new ETag, when a custom resource is added', () => {
    const cat = new ResourceCatalog(createBuiltinCatalog().all());
    const svc = new OpenAPIService({ catalog: cat });
    const before = svc.v2Protobuf();
    expect(svc.v2Protobuf()).toBe(before);
    expect(before.etag).not.toBe(svc.v2().etag);
    cat.add(
      defineCustomResource({
        group: 'stable.example.com',
        version: 'v1',
        kind: 'CronTab',
        plural: 'crontabs',
        spec: z.object({ cronSpec: z.string().meta({ description: 'The schedule.' }), replicas: z.number().int().optional() }),
      }),
    );
    const after = svc.v2Protobuf();
    expect(after.etag).not.toBe(before.etag);
    const doc = decodeOpenAPIV2Protobuf(after.body);
    const crontab = definition(doc, 'com.example.stable.v1.CronTab');
    expect(extensions(crontab)['x-kubernetes-group-version-kind']).toEqual([
      { group: 'stable.example.com', kind: 'CronTab', version: 'v1' },
    ]);
    expect(field(field(crontab, 'spec'), 'cronSpec').description).toBe('The schedule.');
    expect(kubectlModelErrors(doc)).toEqual([]);
    svc.close();
  });
});
