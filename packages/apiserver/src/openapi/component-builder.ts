/**
 * Splits a kind's JSON Schema (from `jsonSchemaOf`, fully inlined) into the named component
 * schemas Kubernetes publishes, shared types referenced with `$ref` instead of repeated.
 *
 * Which sub-schema is which type comes from the protobuf field tables: they are the type graph
 * of the built-in API (`Deployment.spec` is a `DeploymentSpec`, whose `template` is a
 * `core.PodTemplateSpec`, ...), so walking the schema and the tables side by side names every
 * struct as `io.k8s.api.apps.v1.DeploymentSpec`. Custom resources (not in the tables) keep their
 * schema inline except `metadata`, which refers to ObjectMeta, as Kubernetes publishes them.
 */
import { apiVersionOf, type ResourceDefinition } from '@converge/core';
import { jsonSchemaOf } from '@converge/core/kinds';
import type { FieldSpec } from '../protobuf/message-table.js';
import { kubeProtoSchema, type KubeProtoSchema } from '../protobuf/proto-schema.js';
import { SPECIAL_TYPES } from '../protobuf/special-types.js';
import { gvkExtension, openAPINameOf, openAPINameOfMessage, refTo, type OpenAPISchema } from './openapi-names.js';
import { MetaNames } from './static-components.js';

/** A built component: its schema and the components it refers to directly. */
export interface BuiltComponent {
  schema: OpenAPISchema;
  refs: ReadonlySet<string>;
}

/** The components of one kind: its own schema, its list's, and every shared one they reach. */
export interface KindComponents {
  /** The kind's schema name (`io.k8s.api.apps.v1.Deployment`). */
  name: string;
  /** The list kind's schema name (`io.k8s.api.apps.v1.DeploymentList`); none for create-only kinds (reviews). */
  listName?: string;
  /** The kind's and the list's components (they change with the definition). */
  own: ReadonlyMap<string, BuiltComponent>;
}

/** Keys that describe a field where it is used rather than the type it has. */
const USE_SITE_KEYS = new Set([
  'description',
  'default',
  'nullable',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
]);
const OBJECT_META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const META_FIELD: FieldSpec = {
  json: 'metadata',
  protoName: 'metadata',
  id: 1,
  type: OBJECT_META,
  repeated: false,
  map: false,
  inline: false,
  presence: 'omitempty',
};

/** Descriptions of the type and object metadata fields, for schemas (custom resources) that give none. */
const TYPE_META_DESCRIPTIONS: Readonly<Record<string, string>> = {
  apiVersion:
    'The versioned schema of this representation of an object: the group and version, e.g. `apps/v1`. Servers convert recognized schemas to the latest internal value.',
  kind: 'The REST resource this object represents, in CamelCase, e.g. `Deployment`. Servers infer it from the endpoint the client submits requests to.',
  metadata: "Standard object's metadata: name, namespace, labels, annotations, owner references and the fields the server sets.",
};

/** Gives a kind schema's `apiVersion`, `kind` and `metadata` a description where they have none. */
function describeTypeMeta(schema: OpenAPISchema): void {
  const props = schema.properties;
  if (!isObject(props)) return;
  for (const [name, description] of Object.entries(TYPE_META_DESCRIPTIONS)) {
    const p = props[name];
    if (isObject(p) && typeof p.description !== 'string') props[name] = { ...p, description };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds and caches component schemas. Shared types (everything in the tables) are built once
 * per process, from the first kind that reaches them; a kind's own components are cached per
 * definition object, so a replaced custom resource definition gets fresh ones.
 */
export class ComponentBuilder {
  private readonly shared = new Map<string, BuiltComponent>();
  private readonly kinds = new WeakMap<object, KindComponents>();
  private readonly fieldMaps = new Map<string, Map<string, FieldSpec>>();

  constructor(private readonly proto: KubeProtoSchema = kubeProtoSchema()) {}

  /**
   * Builds the components of `defs` in a fixed order (by group, version and kind), so that each
   * shared type is always taken from the same kind's schema whatever order documents are asked
   * for in: documents, and so their hashes, are then the same on every run.
   */
  warm(defs: readonly ResourceDefinition[]): void {
    const key = (d: ResourceDefinition): string => `${d.group}/${d.version}/${d.kind}`;
    for (const def of [...defs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) this.kind(def);
  }

  /** The components of a kind (cached per definition). */
  kind(def: ResourceDefinition): KindComponents {
    let kc = this.kinds.get(def);
    if (!kc) {
      kc = this.buildKind(def);
      this.kinds.set(def, kc);
    }
    return kc;
  }

  /** A shared component built so far, by name. */
  sharedComponent(name: string): BuiltComponent | undefined {
    return this.shared.get(name);
  }

  private buildKind(def: ResourceDefinition): KindComponents {
    const name = openAPINameOf(def);
    const listName = `${name}List`;
    const message = this.proto.kind(apiVersionOf(def), def.kind)?.message;
    const fields = message ? this.fieldMap(message) : new Map([['metadata', META_FIELD]]);
    const refs = new Set<string>();
    const schema = this.transform(jsonSchemaOf(def) as OpenAPISchema, fields, refs);
    if (!schema.description && def.description) schema.description = def.description;
    describeTypeMeta(schema);
    schema['x-kubernetes-group-version-kind'] = [gvkExtension(def)];
    const list: OpenAPISchema = {
      description: `A list of ${def.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: 'The versioned schema of this representation of an object.', type: 'string' },
        items: { description: `The ${def.kind} objects.`, type: 'array', items: refTo(name) },
        kind: { description: 'The REST resource this object represents, in CamelCase.', type: 'string' },
        metadata: { allOf: [refTo(MetaNames.ListMeta)], default: {}, description: 'Standard list metadata.' },
      },
      'x-kubernetes-group-version-kind': [gvkExtension({ group: def.group, version: def.version, kind: def.listKind })],
    };
    const own = new Map<string, BuiltComponent>([[name, { schema, refs }]]);
    if (def.virtual) return { name, own };
    own.set(listName, { schema: list, refs: new Set([name, MetaNames.ListMeta]) });
    return { name, listName, own };
  }

  /** JSON name → field, with the fields of inline members (a Volume's VolumeSource) flattened in. */
  private fieldMap(message: string): Map<string, FieldSpec> {
    let m = this.fieldMaps.get(message);
    if (!m) {
      m = new Map();
      const add = (msg: string): void => {
        for (const f of this.proto.fields.get(msg) ?? []) {
          if (f.inline) add(f.type);
          else m!.set(f.json, f);
        }
      };
      add(message);
      this.fieldMaps.set(message, m);
    }
    return m;
  }

  /**
   * A copy of `node` with typed properties turned into references. An object's `metadata` is
   * never required (Kubernetes' schemas make no ObjectMeta required: a name may be generated).
   */
  private transform(node: OpenAPISchema, fields: Map<string, FieldSpec> | undefined, refs: Set<string>): OpenAPISchema {
    const out: OpenAPISchema = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && isObject(v)) {
        const props: OpenAPISchema = {};
        for (const [p, child] of Object.entries(v)) props[p] = isObject(child) ? this.property(child, fields?.get(p), refs) : child;
        out.properties = props;
      } else if ((k === 'items' || k === 'additionalProperties') && isObject(v)) {
        out[k] = this.transform(v, undefined, refs);
      } else {
        out[k] = v;
      }
    }
    if (Array.isArray(out.required) && fields?.get('metadata')?.type === OBJECT_META && out.required.includes('metadata')) {
      const required = (out.required as string[]).filter((r) => r !== 'metadata');
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
    return out;
  }

  private property(node: OpenAPISchema, field: FieldSpec | undefined, refs: Set<string>): OpenAPISchema {
    if (!field || (!SPECIAL_TYPES.has(field.type) && !this.proto.fields.has(field.type))) return this.transform(node, undefined, refs);
    if (field.map || field.repeated) {
      const key = field.map ? 'additionalProperties' : 'items';
      const out = this.transform({ ...node, [key]: undefined }, undefined, refs);
      const inner = node[key];
      out[key] = isObject(inner) ? this.typed(inner, field.type, refs) : inner;
      if (out[key] === undefined) delete out[key];
      return out;
    }
    // The description here is the field's, not its type's: the type's component does not take it
    // (else `kubectl explain` prints the field's sentence twice, once as the type's).
    const { description: _useSite, ...typeNode } = node;
    const typed = this.typed(typeNode, field.type, refs);
    if (typeof typed.$ref !== 'string') return 'description' in node ? { description: node.description, ...typed } : typed;
    const wrapper: OpenAPISchema = { allOf: [typed] };
    for (const [k, v] of Object.entries(node)) if (USE_SITE_KEYS.has(k) || k === 'x-kubernetes-map-type') wrapper[k] = v;
    return wrapper;
  }

  /** A reference to the component of `type` at `node` (building it), or `node` inline when it has no structure to share. */
  private typed(node: OpenAPISchema, type: string, refs: Set<string>): OpenAPISchema {
    const special = SPECIAL_TYPES.get(type);
    if (special) {
      if (special.token === 'ExtraValue') return this.transform(node, undefined, refs); // a named []string: inline in Kubernetes too
      const name = openAPINameOfMessage(special.fullName);
      refs.add(name);
      return refTo(name);
    }
    const name = openAPINameOfMessage(type);
    if (!isObject(node.properties)) {
      // A field declared without structure (a custom resource's `metadata: {type: object}`) of a
      // type already built from the built-in kinds refers to that type, as Kubernetes publishes it.
      if (this.shared.has(name) && node.type === 'object') {
        refs.add(name);
        return refTo(name);
      }
      return this.transform(node, undefined, refs);
    }
    if (!this.shared.has(name)) {
      const own = new Set<string>();
      const entry: BuiltComponent = { schema: {}, refs: own };
      this.shared.set(name, entry); // before the walk: a type may contain itself
      const schema = this.transform(node, this.fieldMap(type), own);
      for (const k of USE_SITE_KEYS) if (k !== 'description') delete schema[k];
      entry.schema = schema;
    }
    refs.add(name);
    return refTo(name);
  }
}
