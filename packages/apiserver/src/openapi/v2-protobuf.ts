/**
 * The protobuf form of `/openapi/v2`: the Swagger 2.0 document encoded as gnostic's
 * `openapi.v2.Document`, which kubectl asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`)
 * whenever it validates a manifest without a group-version-kind of its own (`kind: List`, so
 * `kubectl apply -f` of `kubectl get -o yaml` output, `kubectl edit` of several objects) and for
 * `kubectl explain --output=plaintext-openapiv2`.
 *
 * The mapping follows gnostic's compiler: every JSON map becomes a list of named pairs in the
 * JSON's key order; `$ref` is the `xRef` field; `type` a `TypeItem`; `items` an `ItemsItem`
 * (one schema, or several for a tuple); `additionalProperties` a schema or a boolean; a value of
 * any JSON type (`default`, `example`, each `enum` value) and every vendor extension (`x-...`)
 * is an `Any` whose `yaml` holds the value as YAML text, which is where kubectl reads
 * `x-kubernetes-group-version-kind`, `x-kubernetes-patch-merge-key` and
 * `x-kubernetes-patch-strategy` from. Keys Swagger 2.0 does not define are left out, as
 * gnostic would refuse them.
 *
 * One change to the schemas themselves, the one Kubernetes makes when it publishes a custom
 * resource's schema in v2: a schema marked `x-kubernetes-preserve-unknown-fields` loses its
 * `properties` and `items` (kubectl's v2 validation knows no such marker and would call every
 * field it does not list unknown), and an array left without `items` loses its `type` (kubectl
 * refuses a typed array without one). Built-in schemas never combine the marker with fields.
 */
import { stringify as yamlStringify } from 'yaml';
import { OpenAPIV2DocumentType } from './v2-protobuf-schema.js';
import type { SwaggerDocument } from './v2-document.js';

type JSONObject = Record<string, unknown>;
/** A message in protobufjs' plain-object form (field name → value). */
type Message = Record<string, unknown>;

function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);

/**
 * Marks an object literal as a message. Fields left undefined are simply not written (protobufjs
 * skips them); they are not deleted, since deleting keys would turn thousands of small objects
 * into slow dictionary-mode ones.
 */
function message(fields: Message): Message {
  return fields;
}

/**
 * An `Any`: the value as YAML 1.1 text, the YAML kubectl's decoder speaks (so a string such as
 * `yes` or `on` is quoted and stays a string), without line folding.
 */
function anyOf(value: unknown): Message {
  const key = JSON.stringify(value);
  let yaml = yamlTexts.get(key);
  if (yaml === undefined) {
    yaml = yamlStringify(value, { version: '1.1', lineWidth: 0, minContentWidth: 0 });
    if (yamlTexts.size >= CACHE_SIZE) yamlTexts.clear();
    yamlTexts.set(key, yaml);
  }
  return { yaml };
}

/**
 * Memos by JSON text, each cleared when it reaches `CACHE_SIZE` entries. The messages they hold
 * are shared between documents and never changed after they are built.
 */
const CACHE_SIZE = 10_000;
/** YAML text of a value: most values recur (`merge`, `atomic`, group-version-kinds), and YAML output is slow. */
const yamlTexts = new Map<string, string>();
/** `ParametersItem` of a parameter (null: a location Swagger does not have). */
const parameterItems = new Map<string, Message | null>();

function vendorExtensions(obj: JSONObject): Message[] | undefined {
  let out: Message[] | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('x-') && v !== undefined) (out ??= []).push({ name: k, value: anyOf(v) });
  }
  return out;
}

function externalDocs(v: unknown): Message | undefined {
  return isObject(v) ? message({ description: str(v.description), url: str(v.url), vendorExtension: vendorExtensions(v) }) : undefined;
}

/** A Swagger schema object as an `openapi.v2.Schema`. */
export function schemaMessage(s: JSONObject): Message {
  const open = s['x-kubernetes-preserve-unknown-fields'] === true;
  let type = typeof s.type === 'string' ? [s.type] : strings(s.type);
  let items: Message | undefined;
  if (open) items = undefined;
  else if (isObject(s.items)) items = { schema: [schemaMessage(s.items)] };
  else if (Array.isArray(s.items)) items = { schema: s.items.filter(isObject).map(schemaMessage) };
  if (!items && type?.length === 1 && type[0] === 'array') type = undefined;
  let additionalProperties: Message | undefined;
  if (typeof s.additionalProperties === 'boolean') additionalProperties = { boolean: s.additionalProperties };
  else if (isObject(s.additionalProperties)) additionalProperties = { schema: schemaMessage(s.additionalProperties) };
  return message({
    xRef: str(s.$ref),
    format: str(s.format),
    title: str(s.title),
    description: str(s.description),
    default: s.default !== undefined ? anyOf(s.default) : undefined,
    multipleOf: num(s.multipleOf),
    maximum: num(s.maximum),
    exclusiveMaximum: bool(s.exclusiveMaximum),
    minimum: num(s.minimum),
    exclusiveMinimum: bool(s.exclusiveMinimum),
    maxLength: int(s.maxLength),
    minLength: int(s.minLength),
    pattern: str(s.pattern),
    maxItems: int(s.maxItems),
    minItems: int(s.minItems),
    uniqueItems: bool(s.uniqueItems),
    maxProperties: int(s.maxProperties),
    minProperties: int(s.minProperties),
    required: strings(s.required),
    enum: Array.isArray(s.enum) ? s.enum.map(anyOf) : undefined,
    additionalProperties,
    type: type ? { value: type } : undefined,
    items,
    allOf: Array.isArray(s.allOf) ? s.allOf.filter(isObject).map(schemaMessage) : undefined,
    // An empty `properties` stays present: kube-openapi reads "has properties" as "is a kind".
    properties: isObject(s.properties) && !open ? { additionalProperties: namedSchemas(s.properties) } : undefined,
    discriminator: str(s.discriminator),
    readOnly: bool(s.readOnly),
    xml: isObject(s.xml)
      ? message({
          name: str(s.xml.name),
          namespace: str(s.xml.namespace),
          prefix: str(s.xml.prefix),
          attribute: bool(s.xml.attribute),
          wrapped: bool(s.xml.wrapped),
          vendorExtension: vendorExtensions(s.xml),
        })
      : undefined,
    externalDocs: externalDocs(s.externalDocs),
    example: s.example !== undefined ? anyOf(s.example) : undefined,
    vendorExtension: vendorExtensions(s),
  });
}

function namedSchemas(map: JSONObject): Message[] {
  return Object.entries(map)
    .filter(([, v]) => isObject(v))
    .map(([name, v]) => ({ name, value: schemaMessage(v as JSONObject) }));
}

/** The primitive keywords of a non-body parameter, a header or a parameter's `items`. */
function primitiveFields(p: JSONObject): Message {
  return {
    type: str(p.type),
    format: str(p.format),
    items: isObject(p.items) ? message(primitiveFields(p.items)) : undefined,
    collectionFormat: str(p.collectionFormat),
    default: p.default !== undefined ? anyOf(p.default) : undefined,
    maximum: num(p.maximum),
    exclusiveMaximum: bool(p.exclusiveMaximum),
    minimum: num(p.minimum),
    exclusiveMinimum: bool(p.exclusiveMinimum),
    maxLength: int(p.maxLength),
    minLength: int(p.minLength),
    pattern: str(p.pattern),
    maxItems: int(p.maxItems),
    minItems: int(p.minItems),
    uniqueItems: bool(p.uniqueItems),
    enum: Array.isArray(p.enum) ? p.enum.map(anyOf) : undefined,
    multipleOf: num(p.multipleOf),
    vendorExtension: vendorExtensions(p),
  };
}

const NON_BODY_FIELD: Readonly<Record<string, string>> = {
  header: 'headerParameterSubSchema',
  formData: 'formDataParameterSubSchema',
  query: 'queryParameterSubSchema',
  path: 'pathParameterSubSchema',
};

/** A Swagger parameter as an `openapi.v2.Parameter`; undefined for a location Swagger does not have. */
function parameterMessage(p: JSONObject): Message | undefined {
  if (p.in === 'body') {
    return {
      bodyParameter: message({
        description: str(p.description),
        name: str(p.name),
        in: 'body',
        required: bool(p.required),
        schema: isObject(p.schema) ? schemaMessage(p.schema) : undefined,
        vendorExtension: vendorExtensions(p),
      }),
    };
  }
  const field = NON_BODY_FIELD[String(p.in)];
  if (!field) return undefined;
  const sub: Message = { required: bool(p.required), in: p.in, description: str(p.description), name: str(p.name) };
  if (p.in === 'query' || p.in === 'formData') sub.allowEmptyValue = bool(p.allowEmptyValue);
  return { nonBodyParameter: { [field]: message({ ...sub, ...primitiveFields(p) }) } };
}

/** A list of parameters (an operation's or a path's) as `ParametersItem`s. */
function parametersItems(v: unknown): Message[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Message[] = [];
  for (const p of v) {
    if (!isObject(p)) continue;
    if (typeof p.$ref === 'string') {
      out.push({ jsonReference: message({ xRef: p.$ref, description: str(p.description) }) });
      continue;
    }
    // The same query parameters recur on every operation: build each distinct one once.
    const key = JSON.stringify(p);
    let item = parameterItems.get(key);
    if (item === undefined) {
      const parameter = parameterMessage(p);
      item = parameter ? { parameter } : null;
      if (parameterItems.size >= CACHE_SIZE) parameterItems.clear();
      parameterItems.set(key, item);
    }
    if (item) out.push(item);
  }
  return out;
}

function responseMessage(r: JSONObject): Message {
  return message({
    description: str(r.description),
    schema: isObject(r.schema) ? { schema: schemaMessage(r.schema) } : undefined,
    headers: isObject(r.headers)
      ? {
          additionalProperties: Object.entries(r.headers)
            .filter(([, h]) => isObject(h))
            .map(([name, h]) => ({
              name,
              value: message({ ...primitiveFields(h as JSONObject), description: str((h as JSONObject).description) }),
            })),
        }
      : undefined,
    examples: isObject(r.examples)
      ? { additionalProperties: Object.entries(r.examples).map(([name, v]) => ({ name, value: anyOf(v) })) }
      : undefined,
    vendorExtension: vendorExtensions(r),
  });
}

function responsesMessage(v: JSONObject): Message {
  const responseCode: Message[] = [];
  for (const [code, r] of Object.entries(v)) {
    if (code.startsWith('x-') || !isObject(r)) continue;
    const value =
      typeof r.$ref === 'string'
        ? { jsonReference: message({ xRef: r.$ref, description: str(r.description) }) }
        : { response: responseMessage(r) };
    responseCode.push({ name: code, value });
  }
  return message({ responseCode, vendorExtension: vendorExtensions(v) });
}

function securityRequirements(v: unknown): Message[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObject).map((req) => ({
    additionalProperties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: strings(scopes) ?? [] } })),
  }));
}

function operationMessage(op: JSONObject): Message {
  return message({
    tags: strings(op.tags),
    summary: str(op.summary),
    description: str(op.description),
    externalDocs: externalDocs(op.externalDocs),
    operationId: str(op.operationId),
    produces: strings(op.produces),
    consumes: strings(op.consumes),
    parameters: parametersItems(op.parameters),
    responses: isObject(op.responses) ? responsesMessage(op.responses) : undefined,
    schemes: strings(op.schemes),
    deprecated: bool(op.deprecated),
    security: securityRequirements(op.security),
    vendorExtension: vendorExtensions(op),
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItemMessage(item: JSONObject): Message {
  const out: Message = { xRef: str(item.$ref) };
  for (const m of METHODS) if (isObject(item[m])) out[m] = operationMessage(item[m]);
  out.parameters = parametersItems(item.parameters);
  out.vendorExtension = vendorExtensions(item);
  return message(out);
}

function securityDefinitions(v: JSONObject): Message {
  const additionalProperties: Message[] = [];
  for (const [name, d] of Object.entries(v)) {
    if (!isObject(d)) continue;
    const common = { type: str(d.type), description: str(d.description), vendorExtension: vendorExtensions(d) };
    // OAuth2 schemes are not modelled (see v2-protobuf-schema.ts); this server has none.
    if (d.type === 'apiKey')
      additionalProperties.push({ name, value: { apiKeySecurity: message({ ...common, name: str(d.name), in: str(d.in) }) } });
    else if (d.type === 'basic') additionalProperties.push({ name, value: { basicAuthenticationSecurity: message(common) } });
  }
  return { additionalProperties };
}

/** A Swagger 2.0 document as an `openapi.v2.Document` in protobufjs' plain-object form. */
export function documentMessage(doc: SwaggerDocument): Message {
  const info = isObject(doc.info) ? doc.info : {};
  return message({
    swagger: str(doc.swagger),
    info: message({
      title: str(info.title),
      version: str(info.version),
      description: str(info.description),
      termsOfService: str(info.termsOfService),
      contact: isObject(info.contact)
        ? message({
            name: str(info.contact.name),
            url: str(info.contact.url),
            email: str(info.contact.email),
            vendorExtension: vendorExtensions(info.contact),
          })
        : undefined,
      license: isObject(info.license)
        ? message({ name: str(info.license.name), url: str(info.license.url), vendorExtension: vendorExtensions(info.license) })
        : undefined,
      vendorExtension: vendorExtensions(info),
    }),
    host: str(doc.host),
    basePath: str(doc.basePath),
    schemes: strings(doc.schemes),
    consumes: strings(doc.consumes),
    produces: strings(doc.produces),
    paths: isObject(doc.paths)
      ? message({
          vendorExtension: vendorExtensions(doc.paths),
          path: Object.entries(doc.paths)
            .filter(([name, item]) => !name.startsWith('x-') && isObject(item))
            .map(([name, item]) => ({ name, value: pathItemMessage(item as JSONObject) })),
        })
      : undefined,
    definitions: isObject(doc.definitions) ? { additionalProperties: namedSchemas(doc.definitions) } : undefined,
    parameters: isObject(doc.parameters)
      ? {
          additionalProperties: Object.entries(doc.parameters).flatMap(([name, p]) => {
            const value = isObject(p) ? parameterMessage(p) : undefined;
            return value ? [{ name, value }] : [];
          }),
        }
      : undefined,
    responses: isObject(doc.responses)
      ? {
          additionalProperties: Object.entries(doc.responses)
            .filter(([, r]) => isObject(r))
            .map(([name, r]) => ({ name, value: responseMessage(r as JSONObject) })),
        }
      : undefined,
    security: securityRequirements(doc.security),
    securityDefinitions: isObject(doc.securityDefinitions) ? securityDefinitions(doc.securityDefinitions) : undefined,
    tags: Array.isArray(doc.tags)
      ? doc.tags.filter(isObject).map((t) =>
          message({
            name: str(t.name),
            description: str(t.description),
            externalDocs: externalDocs(t.externalDocs),
            vendorExtension: vendorExtensions(t),
          }),
        )
      : undefined,
    externalDocs: externalDocs(doc.externalDocs),
    vendorExtension: vendorExtensions(doc),
  });
}

/** Encodes a Swagger 2.0 document as the bytes of an `openapi.v2.Document`. */
export function encodeOpenAPIV2Protobuf(doc: SwaggerDocument): Buffer {
  const bytes = OpenAPIV2DocumentType.encode(documentMessage(doc)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes the bytes of an `openapi.v2.Document` into protobufjs' plain-object form (field names
 * as in v2-protobuf-schema.ts, int64 as numbers, unset fields absent): for tests and tools.
 */
export function decodeOpenAPIV2Protobuf(bytes: Uint8Array): Message {
  return OpenAPIV2DocumentType.toObject(OpenAPIV2DocumentType.decode(bytes), {
    longs: Number,
    defaults: false,
    arrays: false,
    oneofs: false,
  });
}
