/**
 * JSON Merge Patch (RFC 7386): objects merge key by key, `null` deletes a key, anything else
 * (arrays included) replaces the target value. Copy-on-write: only the objects the patch
 * walks through are copied.
 */
import { cloneJson, isObject, type JsonObject } from './json-value.js';
import { malformedPatch } from './patch-errors.js';

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const k in patch) {
    const v = patch[k];
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/**
 * Applies a JSON merge patch to a document and returns the new document (the input is not
 * modified). Kubernetes accepts only an object as a merge patch of an object: anything else
 * fails with BadRequest.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw malformedPatch('Invalid JSON Patch: a merge patch must be a JSON object');
  return merge(doc, patch);
}
