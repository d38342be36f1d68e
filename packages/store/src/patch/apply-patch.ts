/**
 * The one entry point the registry calls for PATCH: dispatches on the patch type and
 * returns the patched object.
 */
import { StatusError, type KubeObject, type Patch } from '@converge/core';
import type { JSONSchemaNode } from '@converge/core/validation';
import { applyJsonPatch } from './json-patch.js';
import { isObject } from './json-value.js';
import { applyMergePatch } from './merge-patch.js';
import { malformedPatch } from './patch-errors.js';
import { schemaNavigator, type SchemaNode } from './schema-navigator.js';
import { serverSideApply } from './server-side-apply.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Inputs of `applyPatch`. */
export interface ApplyPatchInput {
  /** The JSON Schema of the kind's objects (`jsonSchemaOf(def)`, or a CRD's openAPIV3Schema), or a compiled node. */
  schema: JSONSchemaNode | SchemaNode | undefined;
  /** The stored object (typically frozen); undefined only for an apply that creates the object. */
  current: KubeObject | undefined;
  /** The patch: its type and parsed body. */
  patch: Patch;
  /** The field manager; required for apply patches. */
  fieldManager?: string;
  /** Apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** The time of the write, RFC 3339 (recorded in managedFields by apply). */
  time: string;
  /** The API version of the endpoint, e.g. `apps/v1`. */
  apiVersion: string;
  /** The kind of the endpoint (apply checks the configuration names it). */
  kind?: string;
  /** The subresource patched (`status`, `scale`), if any. */
  subresource?: string;
  /** Apply only: dotted paths the endpoint does not own (e.g. `status` on the main resource). */
  ignoredFields?: readonly string[];
}

/**
 * Applies a patch to the current object and returns the new object. The input is never
 * modified: the result's root and the parts the patch touched are fresh (mutable) values, and
 * unchanged subtrees are shared with `current` (so still frozen if it was): copy a subtree
 * before changing it in place.
 *
 * - `json` (RFC 6902), `merge` (RFC 7386) and `strategic` return the patched object with its
 *   managedFields untouched: the caller records the write with `updateManagedFields`
 *   (operation Update), as for any update;
 * - `apply` merges the configuration server-side and returns the object with managedFields
 *   already updated for the applier (operation Apply): the caller must not record it again.
 *
 * Failures are StatusErrors: BadRequest for malformed patches, Invalid (422) for JSON patch
 * operations that do not apply, Conflict (409) for apply conflicts, UnsupportedMediaType for
 * an unknown patch type.
 */
export function applyPatch(input: ApplyPatchInput): KubeObject {
  try {
    return dispatch(input);
  } catch (err) {
    // A pathologically deep document overflows the stack somewhere in the walks: that is the request's fault.
    if (err instanceof RangeError) throw malformedPatch('the patch or the object is nested too deeply');
    throw err;
  }
}

function dispatch(input: ApplyPatchInput): KubeObject {
  const { patch } = input;
  if (input.force !== undefined && input.force !== false && patch.type !== 'apply') {
    throw new StatusError('Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
      code: 422,
      details: {
        kind: 'PatchOptions',
        group: 'meta.k8s.io',
        causes: [{ reason: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' }],
      },
    });
  }
  let out: unknown;
  switch (patch.type) {
    case 'json':
      out = applyJsonPatch(input.current ?? {}, patch.body);
      break;
    case 'merge':
      out = applyMergePatch(input.current ?? {}, patch.body);
      break;
    case 'strategic':
      out = applyStrategicMergePatch(
        input.current ?? {},
        patch.body,
        isSchemaNode(input.schema) ? input.schema : schemaNavigator(input.schema),
      );
      break;
    case 'apply': {
      const applyInput: Parameters<typeof serverSideApply>[0] = {
        schema: input.schema,
        current: input.current,
        config: patch.body,
        manager: input.fieldManager ?? '',
        time: input.time,
        apiVersion: input.apiVersion,
      };
      if (input.force) applyInput.force = true;
      if (input.kind !== undefined) applyInput.kind = input.kind;
      if (input.subresource !== undefined) applyInput.subresource = input.subresource;
      if (input.ignoredFields !== undefined) applyInput.ignoredFields = input.ignoredFields;
      return serverSideApply(applyInput);
    }
    default:
      throw new StatusError('UnsupportedMediaType', `the patch type ${JSON.stringify((patch as Patch).type)} is not supported`);
  }
  if (!isObject(out)) throw malformedPatch('the patched document is not an object');
  if (!isObject(out.metadata)) {
    if (out.metadata !== undefined)
      throw new StatusError('Invalid', 'the patched object has a metadata that is not an object', { code: 422 });
  }
  return out as KubeObject;
}

function isSchemaNode(s: unknown): s is SchemaNode {
  return typeof s === 'object' && s !== null && typeof (s as SchemaNode).field === 'function';
}
