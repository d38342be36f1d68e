/**
 * The builder every built-in kind is declared with: fills in the discovery facts Kubernetes
 * derives (resource = plural, list kind, default verbs) and records the kind's name rule.
 */
import { z, type ZodType } from 'zod';
import type { KubeObject } from '../api/meta.js';
import type { PrinterColumn, ResourceDefinition, ResourceStrategy, ScaleSubresource, StorageMapping } from '../api/resource-type.js';
import { apiVersionField, kindField, ObjectMetaSchema } from './schema/meta.schema.js';
import type { NameRule } from './validation/name-rules.js';

/** The verbs of a normal stored kind. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** What a kind declaration says; everything else is derived. */
export interface KindOptions<T extends KubeObject> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  verbs?: readonly string[];
  subresources?: ResourceDefinition['subresources'];
  schema: ZodType;
  description: string;
  strategy?: ResourceStrategy<T>;
  printerColumns?: readonly PrinterColumn[];
  /** False when `kubectl get` tables have no leading Name column (Events). */
  nameColumn?: boolean;
  openAPIName: string;
  virtual?: boolean;
  /** The rule `metadata.name` follows; DNS-1123 subdomain when unset. */
  nameRule?: NameRule;
  /** Whether objects may come without a name (reviews); defaults to `virtual`. */
  nameOptional?: boolean;
  /** Where objects are stored when they are shared with another served version (see `StorageMapping`). */
  storage?: StorageMapping;
}

/** How the metadata of a kind's objects is checked. */
export interface MetaRules {
  nameRule: NameRule;
  nameOptional: boolean;
}

const metaRules = new WeakMap<object, MetaRules>();

/** The metadata rules of a definition: its name rule (DNS-1123 subdomain unless the kind says otherwise) and whether a name is needed. */
export function metaRulesOf(def: object & { virtual?: boolean | undefined }): MetaRules {
  return metaRules.get(def) ?? { nameRule: 'dns1123Subdomain', nameOptional: def.virtual === true };
}

/** Records the metadata rules of a definition made elsewhere (e.g. from a CRD). */
export function setMetaRules(def: object, rules: MetaRules): void {
  metaRules.set(def, rules);
}

/** Declares a kind: a frozen `ResourceDefinition<T>`. */
export function defineKind<T extends KubeObject>(o: KindOptions<T>): ResourceDefinition<T> {
  const def: ResourceDefinition<T> = {
    group: o.group,
    version: o.version,
    resource: o.plural,
    kind: o.kind,
    namespaced: o.namespaced,
    listKind: o.listKind ?? `${o.kind}List`,
    singular: o.singular ?? o.kind.toLowerCase(),
    verbs: o.verbs ?? (o.virtual ? ['create'] : ALL_VERBS),
    schema: o.schema,
    description: o.description,
    openAPIName: o.openAPIName,
  };
  if (o.shortNames) def.shortNames = o.shortNames;
  if (o.categories) def.categories = o.categories;
  if (o.subresources) def.subresources = o.subresources;
  if (o.strategy) def.strategy = o.strategy;
  if (o.printerColumns) def.printerColumns = o.printerColumns;
  if (o.nameColumn !== undefined) def.nameColumn = o.nameColumn;
  if (o.virtual) def.virtual = true;
  if (o.storage) def.storage = o.storage;
  metaRules.set(def, { nameRule: o.nameRule ?? 'dns1123Subdomain', nameOptional: o.nameOptional ?? o.virtual === true });
  return Object.freeze(def);
}

/** The fields an object schema has beyond apiVersion, kind and metadata. */
export type KindShape = Record<string, ZodType>;

/** Builds the zod schema of a whole object: apiVersion, kind, metadata and the given fields. */
export function objectSchema<S extends KindShape>(description: string, shape: S) {
  return z
    .object({
      apiVersion: apiVersionField(),
      kind: kindField(),
      metadata: ObjectMetaSchema.meta({ description: 'Standard object metadata.' }),
      ...shape,
    })
    .meta({ description });
}

/** The scale subresource paths of the built-in workloads: replicas in `.spec.replicas` / `.status.replicas`, the selector a `LabelSelector` (or, for ReplicationControllers, a label map) at `.spec.selector`. */
export const WORKLOAD_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.spec.selector',
};
