import { badRequest, StatusError, type Clock, type KubeObject, type Patch, type ResourceDefinition } from '@converge/core';
import fastJsonPatch from 'fast-json-patch';
import { cloneJson, isObject } from './json-values.js';

/** Inputs of `patchObject`. */
export interface PatchObjectInput {
  definition: ResourceDefinition;
  /** The stored object (frozen), or undefined when an apply patch creates the object. */
  current: KubeObject | undefined;
  patch: Patch;
  fieldManager?: string;
  force?: boolean;
  clock: Clock;
}

/**
 * Applies a patch to the current object and returns the patched object (a fresh, mutable value).
 *
 * TEMPORARY: stands in until the patch module lands; JSON patch and JSON merge patch are
 * complete, strategic merge patch is treated as a merge patch, and apply is refused.
 */
export function patchObject(input: PatchObjectInput): KubeObject {
  const { patch } = input;
  const current = input.current ? cloneJson(input.current) : undefined;
  switch (patch.type) {
    case 'merge':
    case 'strategic': {
      if (!isObject(patch.body)) throw badRequest('a merge patch must be a JSON object');
      return mergePatch(current ?? {}, patch.body) as KubeObject;
    }
    case 'json': {
      if (!Array.isArray(patch.body)) throw badRequest('a JSON patch must be an array of operations');
      try {
        return fastJsonPatch.applyPatch(current ?? {}, cloneJson(patch.body) as fastJsonPatch.Operation[], true, true).newDocument as KubeObject;
      } catch (err) {
        if (err instanceof StatusError) throw err;
        throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${(err as Error).message}`, { code: 422 });
      }
    }
    case 'apply':
      throw badRequest('server-side apply is not supported yet');
    default:
      throw new StatusError('UnsupportedMediaType', `the patch type ${JSON.stringify((patch as Patch).type)} is not supported`);
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
