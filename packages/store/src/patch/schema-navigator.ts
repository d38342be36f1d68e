/**
 * Navigation of an object's JSON Schema for patching and server-side apply: what each field
 * is (a struct with named fields, a granular or atomic map, a list with its list type and
 * keys, a scalar) and how strategic merge patch treats it (patch strategy, merge key).
 *
 * Everything is read from the OpenAPI extensions Kubernetes uses, so built-in kinds (whose
 * schemas come from zod) and custom resources (whose openAPIV3Schema carries the same
 * extensions) behave the same:
 * `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`,
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
 * `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-int-or-string`.
 *
 * Nodes are compiled lazily and cached per schema object, so navigating the same kind again
 * costs map lookups.
 */
import type { JSONSchemaNode } from '@converge/core/validation';

/** What a schema node describes. `any` is a value without a schema (unknown or preserved fields). */
export type SchemaKind = 'struct' | 'map' | 'list' | 'scalar' | 'any';

/** The list types of server-side apply. */
export type ListType = 'atomic' | 'set' | 'map';

/**
 * A compiled view of one schema node.
 *
 * Invariants: `listType`, `listKeys` and `item` are meaningful only for lists; `atomic` is true
 * for scalars, atomic maps/structs and atomic lists.
 */
export interface SchemaNode {
  readonly kind: SchemaKind;
  /** Replaced as a whole by apply (scalars, `x-kubernetes-map-type: atomic`, `x-kubernetes-list-type: atomic`). */
  readonly atomic: boolean;
  /** For lists: how apply merges it. */
  readonly listType: ListType;
  /** For `map` lists: the fields that identify an item. */
  readonly listKeys: readonly string[];
  /** Strategic merge patch: the list is merged (by `patchMergeKey` for lists of objects). */
  readonly patchMerge: boolean;
  /** Strategic merge patch: the value is replaced (`x-kubernetes-patch-strategy: replace`). */
  readonly patchReplace: boolean;
  /** Strategic merge patch: the `retainKeys` strategy is declared. */
  readonly retainKeys: boolean;
  /** Strategic merge patch: the field that identifies items of a merged list of objects. */
  readonly patchMergeKey: string | undefined;
  /** The default value the schema declares, if any. */
  readonly defaultValue: unknown;
  /** The node of a field (struct property, map entry or, for `any`, anything). */
  field(name: string): SchemaNode;
  /** Whether `name` is a property declared by a struct (a "named field" in apply's terms). */
  isNamedField(name: string): boolean;
  /** The node of the list's items. */
  readonly item: SchemaNode;
}

/** Defaults Kubernetes' OpenAPI declares for list-map key fields, used when a schema carries none. */
const KNOWN_KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

class Node implements SchemaNode {
  readonly kind: SchemaKind;
  readonly atomic: boolean;
  readonly listType: ListType;
  readonly listKeys: readonly string[];
  readonly patchMerge: boolean;
  readonly patchReplace: boolean;
  readonly retainKeys: boolean;
  readonly patchMergeKey: string | undefined;
  readonly defaultValue: unknown;
  private readonly props: Record<string, JSONSchemaNode> | undefined;
  private readonly extra: JSONSchemaNode | undefined;
  private readonly itemSchema: JSONSchemaNode | undefined;
  private readonly fields = new Map<string, SchemaNode>();
  private itemNode: SchemaNode | undefined;

  constructor(
    private readonly root: JSONSchemaNode,
    raw: JSONSchemaNode,
  ) {
    const s = resolve(root, raw);
    const strategies =
      typeof s['x-kubernetes-patch-strategy'] === 'string' ? s['x-kubernetes-patch-strategy'].split(',').map((x) => x.trim()) : [];
    this.patchMerge = strategies.includes('merge');
    this.patchReplace = strategies.includes('replace');
    this.retainKeys = strategies.includes('retainKeys');
    this.patchMergeKey = typeof s['x-kubernetes-patch-merge-key'] === 'string' ? s['x-kubernetes-patch-merge-key'] : undefined;
    this.defaultValue = s.default;
    const type = typeOf(s);
    this.props = s.properties;
    this.extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    this.itemSchema = s.items;
    let listType: ListType = 'atomic';
    let listKeys: readonly string[] = [];
    if (type === 'array') {
      const declared = s['x-kubernetes-list-type'];
      const keys = s['x-kubernetes-list-map-keys'];
      if (declared === 'map' || declared === 'set' || declared === 'atomic') listType = declared;
      else if (this.patchMerge && this.patchMergeKey) listType = 'map';
      else if (this.patchMerge) listType = 'set';
      if (listType === 'map') listKeys = Array.isArray(keys) && keys.length > 0 ? keys : this.patchMergeKey ? [this.patchMergeKey] : [];
      if (listType === 'map' && listKeys.length === 0) listType = 'atomic';
      this.kind = 'list';
      this.atomic = listType === 'atomic';
    } else if (type === 'object' && !s['x-kubernetes-int-or-string']) {
      if (s['x-kubernetes-preserve-unknown-fields'] && !this.props && !this.extra) this.kind = 'any';
      else this.kind = this.props ? 'struct' : 'map';
      this.atomic = s['x-kubernetes-map-type'] === 'atomic';
    } else if (type === undefined && !s['x-kubernetes-int-or-string']) {
      this.kind = 'any';
      this.atomic = false;
    } else {
      this.kind = 'scalar';
      this.atomic = true;
    }
    this.listType = listType;
    this.listKeys = listKeys;
  }

  field(name: string): SchemaNode {
    let n = this.fields.get(name);
    if (!n) {
      const raw = this.props?.[name] ?? this.extra;
      n = raw ? compile(this.root, raw) : ANY;
      this.fields.set(name, n);
    }
    return n;
  }

  isNamedField(name: string): boolean {
    return this.props !== undefined && Object.hasOwn(this.props, name);
  }

  get item(): SchemaNode {
    if (!this.itemNode) this.itemNode = this.itemSchema ? compile(this.root, this.itemSchema) : ANY;
    return this.itemNode;
  }
}

/** The node of a value without a schema: maps are granular, lists atomic, anything goes. */
const ANY: SchemaNode = {
  kind: 'any',
  atomic: false,
  listType: 'atomic',
  listKeys: [],
  patchMerge: false,
  patchReplace: false,
  retainKeys: false,
  patchMergeKey: undefined,
  defaultValue: undefined,
  field: () => ANY,
  isNamedField: () => false,
  get item(): SchemaNode {
    return ANY;
  },
};

function typeOf(s: JSONSchemaNode): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.properties || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  // anyOf / oneOf / allOf: use the common type of the branches when they agree.
  const branches = s.anyOf ?? s.oneOf ?? s.allOf;
  if (branches && branches.length > 0) {
    const types = new Set(branches.map((b) => typeOf(b)));
    if (types.size === 1) return [...types][0];
    return 'scalar';
  }
  return undefined;
}

const MAX_REF_DEPTH = 32;

function resolve(root: JSONSchemaNode, s: JSONSchemaNode): JSONSchemaNode {
  let cur = s;
  for (let i = 0; i < MAX_REF_DEPTH && typeof cur.$ref === 'string'; i++) {
    const target = lookupRef(root, cur.$ref);
    if (!target) return {};
    // Sibling keywords of a $ref (descriptions, extensions) stay in force.
    const { $ref: _ignored, ...rest } = cur;
    cur = { ...target, ...rest };
  }
  if (!cur.type && !cur.properties && Array.isArray(cur.allOf) && cur.allOf.length === 1) {
    const { allOf, ...rest } = cur;
    cur = { ...resolve(root, allOf[0]!), ...rest };
  }
  return cur;
}

function lookupRef(root: JSONSchemaNode, ref: string): JSONSchemaNode | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur && typeof cur === 'object' ? (cur as JSONSchemaNode) : undefined;
}

const cache = new WeakMap<object, Node>();

function compile(root: JSONSchemaNode, raw: JSONSchemaNode): SchemaNode {
  let n = cache.get(raw);
  if (!n) {
    n = new Node(root, raw);
    cache.set(raw, n);
  }
  return n;
}

/**
 * The compiled root node of a JSON Schema (cached per schema object). Without a schema, every
 * value is `any`: maps merge key by key and lists are replaced.
 */
export function schemaNavigator(schema: JSONSchemaNode | undefined): SchemaNode {
  return schema ? compile(schema, schema) : ANY;
}

/** The node used for values that have no schema. */
export const ANY_SCHEMA: SchemaNode = ANY;

/** The default of a list-map key field: the schema's `default`, else the one Kubernetes' OpenAPI declares. */
export function keyFieldDefault(item: SchemaNode, key: string): unknown {
  const d = item.field(key).defaultValue;
  return d !== undefined ? d : KNOWN_KEY_DEFAULTS[key];
}
