import {
  badRequest,
  conflict,
  invalid,
  StatusError,
  type CreateOptions,
  type KubeObject,
  type StatusCause,
  type WriteOptions,
} from '@converge/core';
import { validateObject } from '@converge/core/validation';
import { cloneJson, isObject, jsonEqual } from './json-values.js';
import type { KindInfo } from './kind-info.js';

/** What the preparation of a write needs from the registry. */
export interface PrepContext {
  /** The current time as an RFC 3339 timestamp. */
  timestamp(): string;
  newUid(): string;
}

/** The validation options of a create under the default field validation (shared: one allocation less per create). */
const WARN = Object.freeze({ fieldValidation: 'Warn' as const });
const NO_CAUSES: readonly StatusCause[] = Object.freeze([]);
/** The metadata fields a write's body must give as strings when it gives them. */
const STRING_META_FIELDS = ['name', 'generateName', 'namespace', 'resourceVersion', 'uid'] as const;

/**
 * Checks that a write's body is an object with a metadata object whose type matches the kind,
 * so malformed input fails with BadRequest before anything else looks at it.
 */
export function checkBody(info: KindInfo, body: unknown): asserts body is KubeObject {
  if (!isObject(body)) throw badRequest(`the body of a ${info.def.kind} must be a JSON object`);
  if (body.metadata !== undefined && !isObject(body.metadata)) throw badRequest('metadata must be a JSON object');
  if (body.metadata === undefined) throw badRequest("Object 'metadata' is missing");
  const m = body.metadata as Record<string, unknown>;
  for (const f of STRING_META_FIELDS) {
    if (m[f] !== undefined && typeof m[f] !== 'string') throw badRequest(`metadata.${f} must be a string`);
  }
  if (body.apiVersion !== undefined && body.apiVersion !== info.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${info.apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== info.def.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${info.def.kind})`);
  }
}

/**
 * Builds the object a CREATE stores, before validation: a copy of the input with the system
 * fields set (uid, creationTimestamp, generation 1 for kinds that track it) and the status reset where Kubernetes
 * resets it. The name is left empty when it is to be generated.
 */
export function prepareCreate(ctx: PrepContext, info: KindInfo, input: unknown, _options: CreateOptions): KubeObject {
  checkBody(info, input);
  const obj = cloneJson(input) as KubeObject;
  obj.apiVersion = info.apiVersion;
  obj.kind = info.def.kind;
  const m = obj.metadata;
  if (m.resourceVersion)
    throw new StatusError('InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created');
  if (info.def.namespaced) {
    if (!m.namespace)
      throw invalid(info.def.kind, info.def.group, m.name ?? '', [
        { field: 'metadata.namespace', reason: 'FieldValueRequired', message: 'Required value' },
      ]);
  } else delete m.namespace;
  if (!m.name && !m.generateName) {
    throw invalid(info.def.kind, info.def.group, '', [
      { field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' },
    ]);
  }
  m.uid = ctx.newUid();
  m.creationTimestamp = ctx.timestamp();
  if (info.tracksGeneration) m.generation = 1;
  else if (m.generation !== undefined) delete m.generation;
  // The copy has no member set to undefined, so a member that reads undefined is absent: the
  // deletes below run only for members that are there (a delete that finds nothing is not free).
  if (m.resourceVersion !== undefined) delete m.resourceVersion;
  if (m.deletionTimestamp !== undefined) delete m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds !== undefined) delete m.deletionGracePeriodSeconds;
  if (m.selfLink !== undefined) delete m.selfLink;
  // A kind's storage may keep the status on create (a Node registers with it).
  if (info.statusFields.length > 0 && !info.storage.keepsStatusOnCreate)
    for (const f of info.statusFields) if (obj[f] !== undefined) delete obj[f];
  return obj;
}

/**
 * Validates a prepared object with core's `validateObject` (pruning unknown fields, applying
 * the kind's defaults, metadata, kind and immutable-field rules) and applies the
 * field-validation mode: unknown fields first (a BadRequest under Strict, warnings under
 * Warn), then Invalid with one cause per bad field. Changes `obj` in place.
 */
export function validatePrepared(
  info: KindInfo,
  obj: KubeObject,
  old: KubeObject | undefined,
  options: WriteOptions,
  extraCauses: readonly StatusCause[] = NO_CAUSES,
): KubeObject {
  const outcome = validateObject(
    info.def,
    obj,
    old
      ? { fieldValidation: options.fieldValidation ?? 'Warn', old }
      : options.fieldValidation
        ? { fieldValidation: options.fieldValidation }
        : WARN,
  );
  // Unknown fields come first: Kubernetes finds them while decoding the body, before it
  // validates anything, so Strict fails with 400 even when the object is also invalid, and
  // Warn warns even when the write then fails with 422.
  if (outcome.unknownFields.length > 0) {
    const mode = options.fieldValidation ?? 'Warn';
    if (mode === 'Strict')
      throw badRequest(`strict decoding error: ${outcome.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
    if (mode === 'Warn') for (const f of outcome.unknownFields) options.onWarning?.(`unknown field "${f}"`);
  }
  const causes = extraCauses.length === 0 ? outcome.causes : [...extraCauses, ...outcome.causes];
  if (causes.length > 0) throw invalid(info.def.kind, info.def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
  dropEmptyMetadata(outcome.object.metadata);
  return outcome.object;
}

/**
 * Removes the ObjectMeta maps and lists Kubernetes' Go types mark `omitempty` when they are
 * empty (labels, annotations, finalizers, ownerReferences; managedFields are the field
 * manager's business), so an object reads
 * back as a Go server would serve it: `kubectl label x a-` of the last label leaves no
 * `labels: {}`, and re-applying an unchanged object changes nothing.
 */
function dropEmptyMetadata(m: KubeObject['metadata']): void {
  if (m.labels && isEmptyMap(m.labels)) delete m.labels;
  if (m.annotations && isEmptyMap(m.annotations)) delete m.annotations;
  if (m.finalizers && m.finalizers.length === 0) delete m.finalizers;
  if (m.ownerReferences && m.ownerReferences.length === 0) delete m.ownerReferences;
}

function isEmptyMap(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** Checks that a write names the object it is addressed to. */
export function checkIdentity(info: KindInfo, obj: KubeObject, current: KubeObject): void {
  if (obj.metadata.name !== undefined && obj.metadata.name !== current.metadata.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${current.metadata.name ?? ''})`);
  }
  if (info.def.namespaced && obj.metadata.namespace !== undefined && obj.metadata.namespace !== current.metadata.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/** Fails with Conflict when the write carries a uid that is not the stored object's. */
export function checkUidPrecondition(info: KindInfo, uid: string | undefined, current: KubeObject): void {
  if (uid && uid !== current.metadata.uid) {
    throw conflict(
      info.qualified,
      current.metadata.name ?? '',
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
    );
  }
}

/**
 * Builds the object an UPDATE of the main resource stores: the input with the system fields
 * kept from the stored object, validated (defaults, immutable fields), then with the status
 * kept from the stored object (when the kind has a status subresource); the generation is
 * bumped when the spec changed.
 */
export function prepareUpdate(info: KindInfo, current: KubeObject, input: KubeObject, options: WriteOptions): KubeObject {
  checkIdentity(info, input, current);
  checkUidPrecondition(info, input.metadata.uid, current);
  const obj = cloneJson(input) as KubeObject;
  obj.apiVersion = info.apiVersion;
  obj.kind = info.def.kind;
  const old = current.metadata;
  copySystemMeta(obj.metadata, old);
  const causes: StatusCause[] = [];
  if (old.deletionTimestamp) {
    const added = (obj.metadata.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length > 0) {
      causes.push({
        field: 'metadata.finalizers',
        reason: 'FieldValueForbidden',
        message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
      });
    }
  }
  const validated = validatePrepared(info, obj, current, options, causes);
  for (const f of info.statusFields) {
    if (current[f] === undefined) delete validated[f];
    else validated[f] = current[f];
  }
  info.storage.prepareUpdate?.(validated, current);
  const m = validated.metadata;
  if (!m.managedFields && old.managedFields) m.managedFields = old.managedFields as NonNullable<KubeObject['metadata']['managedFields']>;
  if (info.tracksGeneration && generationChanged(info, validated, current)) m.generation = (old.generation ?? 0) + 1;
  return validated;
}

/**
 * Builds the object an UPDATE of the status subresource stores: a copy of the stored object
 * with only its status fields taken from the input, validated.
 */
export function prepareStatusUpdate(info: KindInfo, current: KubeObject, input: KubeObject, options: WriteOptions): KubeObject {
  checkIdentity(info, input, current);
  checkUidPrecondition(info, input.metadata.uid, current);
  const obj = cloneJson(current) as KubeObject;
  delete obj.metadata.resourceVersion;
  for (const f of info.statusFields) {
    if (input[f] === undefined) delete obj[f];
    else obj[f] = cloneJson(input[f]);
  }
  if (input.metadata.managedFields) obj.metadata.managedFields = cloneJson(input.metadata.managedFields);
  return validatePrepared(info, obj, current, options);
}

function copySystemMeta(m: KubeObject['metadata'], old: KubeObject['metadata']): void {
  const keep = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;
  for (const f of keep) {
    if (old[f] === undefined) delete m[f];
    else (m as Record<string, unknown>)[f] = old[f];
  }
  delete m.resourceVersion;
  delete m.selfLink;
}

/** Whether an update changes the generation: the strategy decides, else any change outside metadata and status. */
function generationChanged(info: KindInfo, obj: KubeObject, old: KubeObject): boolean {
  const custom = info.def.strategy?.generationChanged as ((o: KubeObject, p: KubeObject) => boolean) | undefined;
  if (custom) return custom(obj, old);
  const skip = new Set<string>(['metadata', 'apiVersion', 'kind', ...info.statusFields]);
  for (const k in obj) if (!skip.has(k) && !jsonEqual(obj[k], old[k])) return true;
  for (const k in old) if (!skip.has(k) && obj[k] === undefined && old[k] !== undefined) return true;
  return false;
}

/** Whether two objects are equal but for their resourceVersion (a write that changes nothing is skipped). */
export function sameButVersion(a: KubeObject, b: KubeObject): boolean {
  for (const k in a) if (k !== 'metadata' && !jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (k !== 'metadata' && a[k] === undefined && b[k] !== undefined) return false;
  const am = a.metadata as Record<string, unknown>;
  const bm = b.metadata as Record<string, unknown>;
  for (const k in am) if (k !== 'resourceVersion' && !jsonEqual(am[k], bm[k])) return false;
  for (const k in bm) if (k !== 'resourceVersion' && am[k] === undefined && bm[k] !== undefined) return false;
  return true;
}
