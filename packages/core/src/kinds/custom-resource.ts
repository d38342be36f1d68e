/**
 * Custom resources: defining a kind in TypeScript with zod (`defineCustomResource`), the CRD
 * manifest that installs it (`crdManifestOf`), and the definitions the API serves for a
 * CustomResourceDefinition created through the API (`definitionsFromCRD`).
 */
import { z, type ZodType } from 'zod';
import type { KubeObject } from '../api/meta.js';
import type { PrinterColumn, ResourceDefinition, ResourceStrategy, ScaleSubresource, StorageMapping } from '../api/resource-type.js';
import { ALL_VERBS, defineKind, objectSchema, setMetaRules } from './definition.js';
import { ageOf } from './printers.js';
import { compileJsonPath, jsonPathValue, type JsonPath } from '../util/json-path.js';
import { registerJSONSchema, tidyJSONSchema } from './schema/json-schema.js';
import type { CustomResourceDefinition } from './misc/crd.kind.js';
import { compileStructuralSchema, type JSONSchemaNode } from './validation/structural-schema.js';
import { setChecker } from './validation/validate-object.js';

/** A printer column of a custom resource, as in a CRD's `additionalPrinterColumns`. */
export interface CustomPrinterColumn {
  name: string;
  type: PrinterColumn['type'];
  /** A JSONPath into the object, e.g. `.spec.replicas`. */
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** What `defineCustomResource` needs: the names of the kind and zod schemas of its spec and status. */
export interface CustomResourceOptions<Spec extends ZodType, Status extends ZodType | undefined = undefined> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Whether objects live in namespaces; true when unset. */
  namespaced?: boolean;
  /** A sentence describing the kind (shown by `kubectl explain`). */
  description?: string;
  /** The zod schema of `spec`. */
  spec: Spec;
  /** The zod schema of `status`; when set, the kind gets a status subresource. */
  status?: Status;
  /** Columns of `kubectl get`; an AGE column when unset. */
  printerColumns?: readonly CustomPrinterColumn[];
  /** Scale subresource paths, e.g. `{ specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' }`. */
  scale?: ScaleSubresource;
  /** Extra strategy hooks (defaults, validation beyond the schema). */
  strategy?: ResourceStrategy<KubeObject>;
}

/** The object type of a custom resource defined with zod schemas. */
export type CustomObject<Spec extends ZodType, Status extends ZodType | undefined> = KubeObject & {
  spec: z.infer<Spec>;
  status?: Status extends ZodType ? z.infer<Status> : never;
};

const customColumns = new WeakMap<object, readonly CustomPrinterColumn[]>();

/** The CRD-style printer columns of a custom resource definition (with their JSONPaths). */
export function customPrinterColumnsOf(def: object): readonly CustomPrinterColumn[] | undefined {
  return customColumns.get(def);
}

/** The AGE column of a CRD without additionalPrinterColumns. */
const DEFAULT_CUSTOM_COLUMNS: readonly CustomPrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

function toPrinterColumns(cols: readonly CustomPrinterColumn[]): PrinterColumn[] {
  return cols.map((c) => {
    let path: JsonPath | undefined;
    const col: PrinterColumn = {
      name: c.name,
      type: c.type,
      jsonPath: c.jsonPath,
      value: (obj, now) => {
        // Kubernetes' CRD table convertor prints the first value the path selects.
        path ??= compileJsonPath(c.jsonPath);
        const v = path.find(obj)[0];
        if (c.type === 'date') return typeof v === 'string' ? ageOf(v, now) : '<unknown>';
        return v ?? '';
      },
    };
    if (c.description !== undefined) col.description = c.description;
    if (c.format !== undefined) col.format = c.format;
    if (c.priority) col.priority = c.priority;
    return col;
  });
}

/**
 * Defines a custom resource in TypeScript: the typed `ResourceDefinition` users pass to
 * `store.get(Widgets, key)`, `@Controller({ for: Widgets })` and `crdManifestOf(Widgets)`.
 *
 * ```ts
 * const Widgets = defineCustomResource({
 *   group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets',
 *   spec: z.object({ size: z.int().min(1).describe('How big.') }),
 *   status: z.object({ ready: z.boolean().optional() }),
 * });
 * ```
 */
export function defineCustomResource<Spec extends ZodType, Status extends ZodType | undefined = undefined>(
  o: CustomResourceOptions<Spec, Status>,
): ResourceDefinition<CustomObject<Spec, Status>> {
  const description = o.description ?? `${o.kind} is a custom resource of ${o.group}.`;
  const shape: Record<string, ZodType> = { spec: o.spec };
  if (o.status) shape.status = o.status.optional();
  const schema = objectSchema(description, shape);
  const columns = o.printerColumns ?? DEFAULT_CUSTOM_COLUMNS;
  const strategy: ResourceStrategy<KubeObject> = { tracksGeneration: true, ...(o.strategy ?? {}) };
  if (o.status) strategy.statusFields ??= ['status'];
  const subresources: NonNullable<ResourceDefinition['subresources']> = {};
  if (o.status) subresources.status = true;
  if (o.scale) subresources.scale = o.scale;
  const def = defineKind<CustomObject<Spec, Status>>({
    group: o.group,
    version: o.version,
    kind: o.kind,
    plural: o.plural,
    singular: o.singular ?? o.kind.toLowerCase(),
    listKind: o.listKind ?? `${o.kind}List`,
    namespaced: o.namespaced ?? true,
    ...(o.shortNames ? { shortNames: o.shortNames } : {}),
    ...(o.categories ? { categories: o.categories } : {}),
    subresources,
    schema,
    description,
    strategy: strategy as ResourceStrategy<CustomObject<Spec, Status>>,
    printerColumns: toPrinterColumns(columns),
    openAPIName: `${o.group.split('.').reverse().join('.')}.${o.version}.${o.kind}`,
  });
  customColumns.set(def, columns);
  return def;
}

/** Inlines `$ref`s to `$defs` (CRD schemas may not use references). */
function inlineRefs(node: unknown, defs: Record<string, unknown>, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, defs, depth));
  if (node === null || typeof node !== 'object') return node;
  const n = node as Record<string, unknown>;
  if (typeof n.$ref === 'string') {
    if (depth > 32) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const name = n.$ref.slice(n.$ref.lastIndexOf('/') + 1);
    const { $ref: _ref, ...rest } = n;
    return inlineRefs({ ...(defs[name] as object), ...rest }, defs, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) if (k !== '$defs' && k !== 'definitions') out[k] = inlineRefs(v, defs, depth);
  return out;
}

/** Rewrites a zod-generated schema into a CRD structural schema: int-or-string in canonical form, no `additionalProperties: false`. */
function structural(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(structural);
  if (node === null || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (n['x-kubernetes-int-or-string'] === true) {
    const branches = (n.anyOf ?? n.oneOf ?? []) as Record<string, unknown>[];
    const str = branches.find((b) => b.type === 'string');
    delete n.oneOf;
    n.anyOf = [{ type: 'integer' }, { type: 'string' }];
    if (str?.pattern && !n.pattern) n.pattern = str.pattern;
    delete n.type;
  }
  if (n.additionalProperties === false) delete n.additionalProperties;
  for (const k of ['properties']) {
    const m = n[k];
    if (m && typeof m === 'object') for (const v of Object.values(m)) structural(v);
  }
  for (const k of ['items', 'additionalProperties', 'not']) if (n[k] && typeof n[k] === 'object') structural(n[k]);
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(n[k]) && n['x-kubernetes-int-or-string'] !== true) structural(n[k]);
}

/** The openAPIV3Schema of a custom resource definition, in CRD (structural, OpenAPI 3.0) form. */
export function openAPIV3SchemaOf<T extends KubeObject>(def: ResourceDefinition<T>): JSONSchemaNode {
  const raw = z.toJSONSchema(def.schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  const defs = { ...((raw.$defs as object) ?? {}), ...((raw.definitions as object) ?? {}) } as Record<string, unknown>;
  const s = inlineRefs(raw, defs) as JSONSchemaNode;
  tidyJSONSchema(s);
  structural(s);
  // The root may only describe apiVersion, kind and metadata by type.
  s.properties = {
    ...(s.properties ?? {}),
    apiVersion: { type: 'string', description: 'Versioned schema of this representation.' },
    kind: { type: 'string', description: 'The type of this object.' },
    metadata: { type: 'object' },
  };
  s.required = (s.required ?? []).filter((k) => k !== 'metadata');
  if (s.required.length === 0) delete s.required;
  return s;
}

/** The apiextensions.k8s.io/v1 CustomResourceDefinition that installs a custom resource. */
export function crdManifestOf<T extends KubeObject>(def: ResourceDefinition<T>): CustomResourceDefinition {
  const d = def as unknown as ResourceDefinition;
  const names: CustomResourceDefinition['spec']['names'] = { plural: d.resource, singular: d.singular, kind: d.kind, listKind: d.listKind };
  if (d.shortNames?.length) names.shortNames = [...d.shortNames];
  if (d.categories?.length) names.categories = [...d.categories];
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: d.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: openAPIV3SchemaOf(d) as Record<string, unknown> },
  };
  const sub: Record<string, unknown> = {};
  if (d.subresources?.status) sub.status = {};
  if (d.subresources?.scale) sub.scale = { ...d.subresources.scale };
  if (Object.keys(sub).length) version.subresources = sub as never;
  const cols = customColumns.get(d);
  if (cols && cols !== DEFAULT_CUSTOM_COLUMNS) version.additionalPrinterColumns = cols.map((c) => ({ ...c }));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${d.resource}.${d.group}` },
    spec: { group: d.group, names, scope: d.namespaced ? 'Namespaced' : 'Cluster', versions: [version] },
  };
}

/** Adds the fields every object has, which a CRD schema may leave out. */
function withObjectFields(schema: JSONSchemaNode): JSONSchemaNode {
  const props = { ...(schema.properties ?? {}) };
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  // metadata is checked by the ObjectMeta rules; the schema may only restrict name.
  props.metadata = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return { ...schema, type: 'object', properties: props };
}

function fromJSONSchema(schema: JSONSchemaNode): ZodType {
  try {
    return z.fromJSONSchema(schema as never) as ZodType;
  } catch {
    return z.looseObject({});
  }
}

/**
 * The definitions the API serves for a CustomResourceDefinition object: one per served
 * version, validated and pruned by that version's `openAPIV3Schema` (types, required, enums,
 * bounds, patterns, nested objects and arrays, `x-kubernetes-preserve-unknown-fields`,
 * `x-kubernetes-int-or-string`, list types, defaults), with printer columns from
 * `additionalPrinterColumns`, selectable fields, and status/scale subresources.
 */
export function definitionsFromCRD(crd: CustomResourceDefinition): ResourceDefinition[] {
  const s = crd.spec;
  const names = s.names;
  const storageVersion = s.versions.find((v) => v.storage)?.name;
  return s.versions
    .filter((v) => v.served)
    .map((v) => {
      const raw = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JSONSchemaNode;
      const schema = withObjectFields(raw);
      const columns = (v.additionalPrinterColumns as CustomPrinterColumn[] | undefined) ?? DEFAULT_CUSTOM_COLUMNS;
      const subresources: NonNullable<ResourceDefinition['subresources']> = {};
      if (v.subresources?.status) subresources.status = true;
      if (v.subresources?.scale) {
        const sc = v.subresources.scale;
        subresources.scale = {
          specReplicasPath: sc.specReplicasPath,
          statusReplicasPath: sc.statusReplicasPath,
          ...(sc.labelSelectorPath ? { labelSelectorPath: sc.labelSelectorPath } : {}),
        };
      }
      const selectable: Record<string, (o: KubeObject) => string | undefined> = {};
      for (const f of v.selectableFields ?? []) {
        selectable[f.jsonPath.replace(/^\./, '')] = (o) => {
          const x = jsonPathValue(o, f.jsonPath);
          return x === undefined ? '' : String(x);
        };
      }
      const strategy: ResourceStrategy = { tracksGeneration: true };
      if (subresources.status) strategy.statusFields = ['status'];
      if (Object.keys(selectable).length) strategy.selectableFields = selectable;
      const def = defineKind<KubeObject>({
        group: s.group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: s.scope !== 'Cluster',
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
        ...(names.categories ? { categories: names.categories } : {}),
        verbs: ALL_VERBS,
        subresources,
        schema: fromJSONSchema(schema),
        description: raw.description ?? `${names.kind} is a custom resource of ${s.group}.`,
        strategy,
        printerColumns: toPrinterColumns(columns),
        openAPIName: `${s.group.split('.').reverse().join('.')}.${v.name}.${names.kind}`,
        // With several versions, every one converts: also objects stored under an earlier storage version.
        ...(storageVersion && s.versions.length > 1
          ? { storage: apiVersionConversion(s.group, storageVersion, v.name, names.plural, names.kind) }
          : {}),
      });
      registerJSONSchema(def, schema);
      setChecker(def, compileStructuralSchema(schema, { checkListTypes: true }));
      setMetaRules(def, { nameRule: 'dns1123Subdomain', nameOptional: false });
      customColumns.set(def, columns);
      return def;
    });
}

/**
 * The storage mapping of a served version of a CRD with several versions: the conversion
 * strategy `None` of Kubernetes, which only rewrites `apiVersion` (webhook conversion is not
 * supported). Objects are stored as the storage version.
 */
function apiVersionConversion(group: string, storageVersion: string, servedVersion: string, plural: string, kind: string): StorageMapping {
  const stored = `${group}/${storageVersion}`;
  const served = `${group}/${servedVersion}`;
  return {
    group,
    version: storageVersion,
    resource: plural,
    kind,
    toStorage: (o) => ({ ...o, apiVersion: stored }),
    fromStorage: (o) => ({ ...o, apiVersion: served }),
  };
}

/** The definition of one served version of a CRD: the named one, or else the storage version. */
export function definitionFromCRD(crd: CustomResourceDefinition, version?: string): ResourceDefinition {
  const defs = definitionsFromCRD(crd);
  const want = version ?? crd.spec.versions.find((v) => v.storage)?.name;
  const def = defs.find((d) => d.version === want) ?? defs[0];
  if (!def) throw new Error(`CustomResourceDefinition ${crd.metadata.name ?? ''} serves no version`);
  return def;
}
