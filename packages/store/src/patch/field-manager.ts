/**
 * Field ownership for writes that are not applies (create, update, JSON/merge/strategic
 * patch): the writer's manager (operation Update) gains the fields it added or changed, and
 * every other manager loses the fields that were changed or removed under it, as Kubernetes'
 * field manager (structured-merge-diff's `Updater.Update`) does.
 */
import type { KubeObject, ManagedFieldsEntry } from '@converge/core';
import type { JSONSchemaNode } from '@converge/core/validation';
import { compareObjects } from './field-set-walkers.js';
import {
  difference,
  EMPTY_SET,
  fieldElement,
  intersection,
  isEmptySet,
  newSet,
  insertPath,
  recursiveDifference,
  setOfDottedPaths,
  union,
  type FieldNode,
} from './field-set.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentity,
  withoutSource,
  type ManagerMap,
} from './managed-fields.js';
import { jsonEqual, type JsonObject } from './json-value.js';
import { schemaNavigator, type SchemaNode } from './schema-navigator.js';

/** The metadata fields no manager owns (Kubernetes' `stripMetaManager`). */
const STRIPPED_PATHS = [
  'apiVersion',
  'kind',
  'metadata',
  'metadata.name',
  'metadata.namespace',
  'metadata.creationTimestamp',
  'metadata.selfLink',
  'metadata.uid',
  'metadata.clusterName',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.resourceVersion',
];

/** The stripped fields as a set (members, not subtrees: owning `metadata.labels` stays possible). */
export const STRIP_SET: FieldNode = setOfDottedPaths(STRIPPED_PATHS);

/** Subtrees walks skip entirely: managedFields itself. */
const ALWAYS_SKIPPED = ['metadata.managedFields'];

/** What ownership tracking needs to know about the kind and the write. */
export interface OwnershipContext {
  schema: SchemaNode;
  /** Subtrees comparisons skip (managedFields, the write's ignored fields). */
  skip: FieldNode;
  /** Fields the write never owns (e.g. `status` on the main resource): removed with their subtrees. */
  ignored: FieldNode;
}

const contexts = new Map<string, { skip: FieldNode; ignored: FieldNode }>();

/** Builds the context of a write; the sets for a given list of ignored fields are built once. */
export function ownershipContext(schema: JSONSchemaNode | SchemaNode | undefined, ignoredFields: readonly string[] = []): OwnershipContext {
  const node = isSchemaNode(schema) ? schema : schemaNavigator(schema);
  const key = ignoredFields.join('\u0000');
  let sets = contexts.get(key);
  if (!sets) {
    const ignored = setOfDottedPaths(ignoredFields);
    sets = { skip: union(setOfDottedPaths(ALWAYS_SKIPPED), ignored), ignored };
    if (contexts.size < 256) contexts.set(key, sets);
  }
  return { schema: node, ...sets };
}

function isSchemaNode(s: unknown): s is SchemaNode {
  return typeof s === 'object' && s !== null && typeof (s as SchemaNode).field === 'function';
}

/** The fields a manager may own out of a set: without stripped metadata and ignored subtrees. */
export function ownable(ctx: OwnershipContext, set: FieldNode): FieldNode {
  return difference(recursiveDifference(set, ctx.ignored), STRIP_SET);
}

/**
 * The object Kubernetes compares a create against (an "empty object" of the kind): the
 * top-level structs exist but are empty, so creating an object does not make its creator
 * the owner of `.spec` itself.
 */
export function emptyObjectOf(ctx: OwnershipContext): JsonObject {
  const out: JsonObject = { metadata: {} };
  for (const f of ['spec', 'status']) if (ctx.schema.isNamedField(f) && ctx.schema.field(f).kind === 'struct') out[f] = {};
  return out;
}

/** Identity and time of the manager performing a write. */
export interface WriterInfo {
  manager: string;
  apiVersion: string;
  subresource: string;
  time: string;
}

/**
 * Records an Update by `writer` that turned `lhs` into `rhs` in `managers` (mutated): others
 * lose what changed or disappeared under them; the writer gains what it added or changed.
 */
export function trackUpdate(ctx: OwnershipContext, lhs: unknown, rhs: unknown, managers: ManagerMap, writer: WriterInfo): void {
  const cmp = compareObjects(lhs, rhs, ctx.schema, ctx.skip);
  const changed = union(cmp.added, cmp.modified);
  const touched = union(changed, cmp.removed);
  if (isEmptySet(touched)) return;
  const selfId = managerIdentity(writer.manager, 'Update', writer.apiVersion, writer.subresource);
  for (const [id, rec] of managers) {
    if (isEmptySet(intersection(rec.set, touched))) continue;
    const set = difference(difference(rec.set, changed), cmp.removed);
    if (isEmptySet(set) && id !== selfId) managers.delete(id);
    else managers.set(id, withoutSource({ ...rec, set }));
  }
  const gained = ownable(ctx, difference(changed, cmp.removed));
  if (isEmptySet(gained)) return;
  const prev = managers.get(selfId);
  managers.set(selfId, {
    manager: writer.manager,
    operation: 'Update',
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
    time: writer.time,
    set: prev ? union(prev.set, gained) : gained,
  });
}

/** Inputs of `updateManagedFields`. */
export interface UpdateManagedFieldsInput {
  /** The JSON Schema of the kind's objects (or an already compiled schema node). */
  schema: JSONSchemaNode | SchemaNode | undefined;
  /** The stored object before the write; undefined for a create. */
  old: KubeObject | undefined;
  /** The object about to be stored. */
  new: KubeObject;
  /** The field manager of the write (e.g. `kubectl-edit`); Kubernetes derives one from the user agent when none is given. */
  manager: string;
  /** Always `Update`: applies go through `serverSideApply`. */
  operation?: 'Update';
  /** The subresource written (`status`, `scale`), if any. */
  subresource?: string;
  /** The time of the write, RFC 3339 (seconds). */
  time: string;
  /** The API version the write was made with, e.g. `apps/v1`. */
  apiVersion: string;
  /** Dotted paths the write does not own (the fields the endpoint resets, e.g. `status` on the main resource). */
  ignoredFields?: readonly string[];
}

/**
 * Returns `new` with its `metadata.managedFields` brought up to date for a non-apply write,
 * as Kubernetes' field manager does on create, update and patch:
 *
 * - the writer's Update entry gains the fields it added or changed (time = the write's time);
 * - other managers lose fields the write changed or removed, and disappear when they own nothing;
 * - managedFields the request itself sets (different from the stored ones) replace the stored
 *   ones, so `managedFields: [{}]` clears them; `[]` leaves them as they were;
 * - an existing object without managedFields is not tracked (as after such a reset);
 * - more than ten Update entries are merged, oldest first, into `ancient-changes`.
 *
 * Only the root and `metadata` of `new` are copied; the rest is shared.
 */
export function updateManagedFields(input: UpdateManagedFieldsInput): KubeObject {
  const ctx = ownershipContext(input.schema, input.ignoredFields);
  const subresource = input.subresource ?? '';
  const provided = input.new.metadata?.managedFields;
  const stored = input.old?.metadata?.managedFields;
  let managers: ManagerMap | undefined;
  if (provided !== undefined && provided !== stored && subresource === '' && !jsonEqual(provided, stored)) {
    const decoded = decodeManagedFields(provided);
    if (decoded.size > 0) managers = decoded;
  }
  const userReset = managers !== undefined;
  managers ??= decodeManagedFields(stored);
  if (input.old !== undefined && input.old.metadata?.uid && managers.size === 0 && !userReset)
    return withManagedFields(input.new, undefined);
  const before = new Map(managers);
  trackUpdate(ctx, input.old ?? emptyObjectOf(ctx), input.new, managers, {
    manager: input.manager,
    apiVersion: input.apiVersion,
    subresource,
    time: input.time,
  });
  capUpdateManagers(managers);
  if (!userReset && sameRecords(before, managers) && stored !== undefined) return withManagedFields(input.new, stored);
  const entries = encodeManagedFields(managers);
  return withManagedFields(input.new, entries.length > 0 ? entries : undefined);
}

function sameRecords(a: ManagerMap, b: ManagerMap): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of a) if (b.get(id) !== r) return false;
  return true;
}

/** A shallow copy of an object with its managedFields replaced (or removed). */
export function withManagedFields(obj: KubeObject, entries: readonly ManagedFieldsEntry[] | undefined): KubeObject {
  const current = obj.metadata?.managedFields;
  if (current === entries) return obj;
  const metadata = { ...obj.metadata };
  if (entries === undefined || entries.length === 0) delete metadata.managedFields;
  else metadata.managedFields = entries as ManagedFieldsEntry[];
  return { ...obj, metadata };
}

/** A set holding a single path, for tests and callers that build sets by hand. */
export function setOfPath(path: readonly string[]): FieldNode {
  const root = newSet();
  insertPath(root, path);
  return root;
}

/** The set of struct fields named by a dotted path, e.g. `spec.replicas`. */
export function setOfFieldPath(dotted: string): FieldNode {
  return dotted ? setOfPath(dotted.split('.').map(fieldElement)) : EMPTY_SET;
}
