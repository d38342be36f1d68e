/**
 * Server-side apply (`application/apply-patch+yaml`), as Kubernetes' field manager does it:
 *
 * 1. the configuration is merged into the live object by list and map types (`mergeApplied`);
 * 2. the applier's Apply entry becomes exactly the fields of this configuration;
 * 3. fields the applier applied last time but not now are removed, unless another manager
 *    owns them (`prune`);
 * 4. fields the apply changes that another manager owns are conflicts: a 409 with one cause
 *    per field, unless `force`, which takes them over; fields the apply removed are taken
 *    from every manager.
 *
 * Interoperation with client-side apply follows Kubernetes for the `kubectl` manager: conflicts
 * on fields whose value still matches the `last-applied-configuration` annotation are not
 * conflicts, and the annotation is kept in step with what was applied.
 */
import { StatusError, type KubeObject, type StatusCause } from '@converge/core';
import type { JSONSchemaNode } from '@converge/core/validation';
import { mergeApplied } from './apply-merge.js';
import { compareObjects, ensureNamedFieldsAreMembers, removeFields, toFieldSet } from './field-set-walkers.js';
import { difference, intersection, isEmptySet, memberPaths, pathString, union, type FieldNode } from './field-set.js';
import { emptyObjectOf, ownable, ownershipContext, trackUpdate, withManagedFields, type OwnershipContext } from './field-manager.js';
import { isObject, type JsonObject } from './json-value.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerIdentity,
  withoutSource,
  type ManagerMap,
  type ManagerRecord,
} from './managed-fields.js';
import { malformedPatch } from './patch-errors.js';
import type { SchemaNode } from './schema-navigator.js';

/** The annotation `kubectl apply` (client-side) keeps its last applied configuration in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The Update manager that owns an object's fields when it is first applied to without managedFields. */
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

/** Inputs of `serverSideApply`. */
export interface ServerSideApplyInput {
  /** The JSON Schema of the kind's objects (or a compiled schema node). */
  schema: JSONSchemaNode | SchemaNode | undefined;
  /** The stored object, or undefined when the apply creates it. */
  current: KubeObject | undefined;
  /** The apply configuration (the parsed YAML/JSON body). */
  config: unknown;
  /** The field manager (required for apply). */
  manager: string;
  /** Take ownership of conflicting fields instead of failing. */
  force?: boolean;
  /** The time of the write, RFC 3339. */
  time: string;
  /** The API version of the endpoint, e.g. `apps/v1`: the configuration must use it. */
  apiVersion: string;
  /** The kind of the endpoint: the configuration must name it. */
  kind?: string;
  /** The subresource applied to (`status`), if any. */
  subresource?: string;
  /** Dotted paths this endpoint does not own (e.g. `status` on the main resource). */
  ignoredFields?: readonly string[];
}

/** One conflict: a field the apply would change that another manager owns. */
interface Conflict {
  manager: ManagerRecord;
  path: string[];
}

/**
 * Applies a configuration server-side and returns the new object (root and touched parts
 * copied, the rest shared with `current`) with its managedFields updated. Fails with a 409
 * Conflict (reason `Conflict`, one `FieldManagerConflict` cause per field) when the apply
 * changes fields other managers own and `force` is not set, and with BadRequest for a
 * malformed configuration.
 */
export function serverSideApply(input: ServerSideApplyInput): KubeObject {
  const config = checkConfig(input);
  const ctx = ownershipContext(input.schema, input.ignoredFields);
  const subresource = input.subresource ?? '';
  const live: JsonObject = input.current ?? emptyObjectOf(ctx);
  const managers = decodeManagedFields(input.current?.metadata?.managedFields);
  if (input.current && managers.size === 0) {
    // An object nobody tracked yet: its fields belong to a stand-in Update manager.
    trackUpdate(ctx, emptyObjectOf(ctx), input.current, managers, {
      manager: BEFORE_FIRST_APPLY_MANAGER,
      apiVersion: input.apiVersion,
      subresource,
      time: input.time,
    });
  }
  const merged = mergeApplied(input.current ?? {}, config, ctx.schema);
  const applierId = managerIdentity(input.manager, 'Apply', input.apiVersion, subresource);
  const previous = managers.get(applierId);
  const applied = ownable(ctx, toFieldSet(config, ctx.schema, ctx.skip));
  managers.set(applierId, {
    manager: input.manager,
    operation: 'Apply',
    apiVersion: input.apiVersion,
    subresource,
    time: previous?.time,
    set: applied,
  });
  const pruned = previous ? prune(ctx, merged, managers, previous.set) : merged;

  const cmp = compareObjects(live, pruned, ctx.schema, ctx.skip);
  const changed = union(cmp.added, cmp.modified);
  let conflicts = findConflicts(managers, applierId, changed);
  let force = input.force === true;
  if (conflicts.length > 0 && !force && input.manager === 'kubectl' && input.current) {
    const allowed = allowedByLastApplied(ctx, input.current, input.apiVersion);
    if (allowed) {
      conflicts = conflicts.filter((c) => !hasMember(allowed, c.path));
      if (conflicts.length === 0) force = true;
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);

  for (const [id, rec] of managers) {
    if (id === applierId) continue;
    const lose = force ? union(changed, cmp.removed) : cmp.removed;
    if (isEmptySet(intersection(rec.set, lose))) continue;
    const set = difference(rec.set, lose);
    if (isEmptySet(set)) managers.delete(id);
    else managers.set(id, withoutSource({ ...rec, set }));
  }
  const objectChanged = !isEmptySet(changed) || !isEmptySet(cmp.removed);
  const rec = managers.get(applierId)!;
  if (objectChanged || !previous || rec.time === undefined) managers.set(applierId, { ...rec, time: input.time });
  capUpdateManagers(managers);

  let out = pruned as KubeObject;
  if (input.manager === 'kubectl' && input.current?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined)
    out = syncLastApplied(out, config);
  const entries = encodeManagedFields(managers);
  return withManagedFields(out, entries.length > 0 ? entries : undefined);
}

function checkConfig(input: ServerSideApplyInput): JsonObject {
  const config = input.config;
  if (!isObject(config)) throw malformedPatch('the apply configuration must be an object');
  if (!input.manager)
    throw new StatusError('Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      code: 422,
      details: {
        kind: 'PatchOptions',
        group: 'meta.k8s.io',
        causes: [{ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }],
      },
    });
  const meta = config.metadata;
  if (meta !== undefined && !isObject(meta)) throw malformedPatch('metadata of the apply configuration must be an object');
  if (isObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null)
    throw malformedPatch('metadata.managedFields must be nil');
  if (typeof config.apiVersion !== 'string' || config.apiVersion === '')
    throw malformedPatch(`Object 'apiVersion' is missing in the apply configuration`);
  if (typeof config.kind !== 'string' || config.kind === '') throw malformedPatch(`Object 'Kind' is missing in the apply configuration`);
  if (config.apiVersion !== input.apiVersion || (input.kind !== undefined && config.kind !== input.kind)) {
    throw malformedPatch(
      `the apply configuration is for ${config.apiVersion}, Kind=${config.kind}, but this endpoint serves ${input.apiVersion}, Kind=${input.kind ?? '?'}`,
    );
  }
  return config;
}

/**
 * Removes what the applier applied last time and not now, unless another manager owns it
 * (structured-merge-diff's `prune`, with its add-back of owned and dangling items).
 */
function prune(ctx: OwnershipContext, merged: unknown, managers: ManagerMap, lastSet: FieldNode): unknown {
  if (isEmptySet(lastSet)) return merged;
  const s = ctx.schema;
  const last = ensureNamedFieldsAreMembers(lastSet, s);
  const mergedSet = ensureNamedFieldsAreMembers(toFieldSet(merged, s, ctx.skip), s);
  const first = removeFields(merged, last, s);
  let owned: FieldNode = { member: false };
  for (const r of managers.values()) owned = union(owned, r.set);
  const ownedE = ensureNamedFieldsAreMembers(owned, s);
  const firstSet = ensureNamedFieldsAreMembers(toFieldSet(first, s, ctx.skip), s);
  const second = removeFields(merged, difference(mergedSet, union(firstSet, ownedE)), s);
  const secondSet = ensureNamedFieldsAreMembers(toFieldSet(second, s, ctx.skip), s);
  return removeFields(merged, intersection(difference(mergedSet, secondSet), last), s);
}

function findConflicts(managers: ManagerMap, applierId: string, changed: FieldNode): Conflict[] {
  const out: Conflict[] = [];
  for (const [id, rec] of managers) {
    if (id === applierId) continue;
    const c = intersection(rec.set, changed);
    if (isEmptySet(c)) continue;
    for (const path of memberPaths(c)) out.push({ manager: rec, path });
  }
  out.sort((a, b) => (a.manager.manager < b.manager.manager ? -1 : a.manager.manager > b.manager.manager ? 1 : 0));
  return out;
}

function hasMember(set: FieldNode, path: readonly string[]): boolean {
  let n: FieldNode | undefined = set;
  for (const pe of path) {
    n = n.children?.get(pe);
    if (!n) return false;
  }
  return n.member;
}

/** How a manager is named in conflict messages (Kubernetes' `printManager` of a manager identity, which has no time). */
function describeManager(r: ManagerRecord): string {
  let s = JSON.stringify(r.manager);
  if (r.subresource) s += ` with subresource ${JSON.stringify(r.subresource)}`;
  if (r.operation === 'Update') s += ` using ${r.apiVersion}`;
  return s;
}

/** The 409 Kubernetes answers an apply with conflicts: one `FieldManagerConflict` cause per field. */
function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${describeManager(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, { rec: ManagerRecord; paths: string[] }>();
    for (const c of conflicts) {
      const key = JSON.stringify([c.manager.manager, c.manager.operation, c.manager.apiVersion, c.manager.subresource]);
      const e = byManager.get(key) ?? { rec: c.manager, paths: [] };
      e.paths.push(pathString(c.path));
      byManager.set(key, e);
    }
    const lines: string[] = [];
    for (const key of [...byManager.keys()].sort()) {
      const e = byManager.get(key)!;
      lines.push(`conflicts with ${describeManager(e.rec)}:`);
      for (const p of e.paths) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError('Conflict', message, { code: 409, details: { causes } });
}

/**
 * The fields of the client-side last-applied configuration whose values still match the live
 * object: a `kubectl apply --server-side` after `kubectl apply` may take them without conflict.
 */
function allowedByLastApplied(ctx: OwnershipContext, live: KubeObject, apiVersion: string): FieldNode | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!raw) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const set = toFieldSet(last, ctx.schema, ctx.skip);
  const cmp = compareObjects(last, live, ctx.schema, ctx.skip);
  return difference(difference(difference(set, cmp.modified), cmp.added), cmp.removed);
}

/** Keeps the client-side apply annotation in step with what `kubectl apply --server-side` applied. */
function syncLastApplied(obj: KubeObject, config: JsonObject): KubeObject {
  const meta = isObject(config.metadata) ? { ...config.metadata } : undefined;
  let cfg: JsonObject = config;
  if (meta && isObject(meta.annotations)) {
    const { [LAST_APPLIED_ANNOTATION]: _drop, ...rest } = meta.annotations;
    if (Object.keys(rest).length > 0) meta.annotations = rest;
    else delete meta.annotations;
    cfg = { ...config, metadata: meta };
  }
  return {
    ...obj,
    metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(cfg) } },
  };
}
