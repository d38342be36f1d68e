import { badRequest, type KubeObject, type ObjectKey, type Patch, type PatchOptions, type ResourceDefinition } from '@converge/core';
import { jsonSchemaOf } from '@converge/core/kinds';
import { applyPatch, type ApplyPatchInput } from '../patch/apply-patch.js';
import { updateManagedFields } from '../patch/field-manager.js';
import { ANY_SCHEMA, schemaNavigator, type SchemaNode } from '../patch/schema-navigator.js';
import { isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';

const schemas = new WeakMap<object, SchemaNode>();

/** The compiled schema of a kind (cached), which drives strategic merge, apply and field ownership. */
export function schemaOf(def: ResourceDefinition | undefined): SchemaNode {
  if (!def) return ANY_SCHEMA;
  let node = schemas.get(def);
  if (!node) {
    node = schemaNavigator(jsonSchemaOf(def));
    schemas.set(def, node);
  }
  return node;
}

/**
 * The fields a write to an endpoint does not own, for managedFields: the status on the main
 * resource of a kind with a status subresource, everything but the status on `status`.
 */
export function ignoredFieldsOf(info: KindInfo, subresource: string | undefined, obj: KubeObject | undefined): readonly string[] {
  if (subresource === 'status')
    return Object.keys(obj ?? {}).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && !info.statusFields.includes(k));
  return info.statusFields;
}

/** Inputs of `patchObject`. */
export interface PatchObjectInput {
  info: KindInfo;
  /** The stored object (frozen), or undefined when an apply patch creates the object. */
  current: KubeObject | undefined;
  patch: Patch;
  fieldManager?: string;
  force?: boolean;
  subresource?: string;
  /** The time of the write, RFC 3339. */
  time: string;
}

/**
 * Applies a patch with the patch module: JSON patch, JSON merge patch, strategic merge patch
 * (lists merged by key as the kind's schema says) or server-side apply (which also records
 * the applier in managedFields). The current object is never changed; the result shares its
 * unchanged parts, so callers copy before mutating.
 */
export function patchObject(input: PatchObjectInput): KubeObject {
  const { info } = input;
  const req: ApplyPatchInput = {
    schema: schemaOf(info.def),
    current: input.current,
    patch: input.patch,
    time: input.time,
    apiVersion: info.apiVersion,
    kind: info.def.kind,
    ignoredFields: ignoredFieldsOf(info, input.subresource, input.current),
  };
  if (input.fieldManager !== undefined) req.fieldManager = input.fieldManager;
  if (input.force !== undefined) req.force = input.force;
  if (input.subresource) req.subresource = input.subresource;
  return applyPatch(req);
}

/** Applies a patch to a stored object (or to nothing, for an apply that creates) at the given time. */
export function patchStored(
  info: KindInfo,
  current: KubeObject | undefined,
  patch: Patch,
  options: PatchOptions,
  time: string,
): KubeObject {
  const input: PatchObjectInput = { info, current, patch, time };
  if (options.fieldManager !== undefined) input.fieldManager = options.fieldManager;
  if (options.force !== undefined) input.force = options.force;
  if (options.subresource) input.subresource = options.subresource;
  return patchObject(input);
}

/** The object an apply to a missing object creates: the configuration applied to nothing, named by the key. */
export function appliedNew(info: KindInfo, key: ObjectKey, patch: Patch, options: PatchOptions, time: string): KubeObject {
  const applied = patchStored(info, undefined, patch, options, time);
  const metadata = { ...(isObject(applied.metadata) ? applied.metadata : {}) };
  if (metadata.name !== undefined && metadata.name !== key.name)
    throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${key.name})`);
  if (info.def.namespaced && metadata.namespace !== undefined && metadata.namespace !== key.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  metadata.name = key.name;
  if (info.def.namespaced) metadata.namespace = key.namespace!;
  return { ...applied, metadata };
}

/** Options of `recordManagedFields`. */
export interface RecordOptions {
  info: KindInfo;
  /** The stored object; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored. */
  next: KubeObject;
  /** The field manager of the write, if the caller named one. */
  fieldManager: string | undefined;
  /** The manager recorded for unnamed writes to objects whose fields are already tracked. */
  defaultManager: string;
  subresource?: string;
  time: string;
}

/**
 * Brings `metadata.managedFields` up to date for a non-apply write, as Kubernetes' field
 * manager does. A write names its manager with `fieldManager`; an unnamed write is recorded
 * under `defaultManager` when the object's fields are already tracked (so ownership stays
 * right for later applies), and not tracked otherwise (which keeps plain in-process writes
 * cheap). Returns the object to store.
 */
export function recordManagedFields(o: RecordOptions): KubeObject {
  const tracked = (o.old?.metadata.managedFields?.length ?? 0) > 0 || (o.next.metadata.managedFields?.length ?? 0) > 0;
  const manager = o.fieldManager ?? (tracked ? o.defaultManager : undefined);
  if (manager === undefined) return o.next;
  return updateManagedFields({
    schema: schemaOf(o.info.def),
    old: o.old,
    new: o.next,
    manager,
    time: o.time,
    apiVersion: o.info.apiVersion,
    ignoredFields: ignoredFieldsOf(o.info, o.subresource, o.next),
    ...(o.subresource ? { subresource: o.subresource } : {}),
  });
}
