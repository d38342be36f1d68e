import { badRequest, jsonSchemaOf, StatusError, type Clock, type KubeObject, type Patch, type ResourceDefinition } from '@converge/core';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { ANY_SCHEMA, schemaNavigator, type SchemaNode } from '../patch/schema-navigator.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import { isObject } from './json-values.js';

/** Inputs of `patchObject`. */
export interface PatchObjectInput {
  /** The kind whose schema drives a strategic merge patch; absent = no schema (lists are replaced). */
  definition?: ResourceDefinition;
  /** The stored object (frozen), or undefined when an apply patch creates the object. */
  current: KubeObject | undefined;
  patch: Patch;
  fieldManager?: string;
  force?: boolean;
  clock: Clock;
}

const schemas = new WeakMap<object, SchemaNode>();

function schemaOf(def: ResourceDefinition | undefined): SchemaNode {
  if (!def) return ANY_SCHEMA;
  let node = schemas.get(def);
  if (!node) {
    node = schemaNavigator(jsonSchemaOf(def));
    schemas.set(def, node);
  }
  return node;
}

/**
 * Applies a patch to the current object with the patch module and returns the patched object
 * (the current object is never changed; unchanged parts may be shared with it, so callers
 * copy before mutating). JSON patch, JSON merge patch and strategic merge patch (lists merged
 * by key as the kind's schema says); server-side apply is refused until it lands.
 */
export function patchObject(input: PatchObjectInput): KubeObject {
  const { patch } = input;
  const current = input.current ?? {};
  let out: unknown;
  switch (patch.type) {
    case 'merge':
      out = applyMergePatch(current, patch.body);
      break;
    case 'strategic':
      out = applyStrategicMergePatch(current, patch.body, schemaOf(input.definition));
      break;
    case 'json':
      out = applyJsonPatch(current, patch.body);
      break;
    case 'apply':
      throw badRequest('server-side apply is not supported yet');
    default:
      throw new StatusError('UnsupportedMediaType', `the patch type ${JSON.stringify((patch as Patch).type)} is not supported`);
  }
  if (!isObject(out)) throw badRequest('the patched object must be a JSON object');
  return out as KubeObject;
}
