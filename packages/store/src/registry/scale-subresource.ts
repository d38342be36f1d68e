import {
  badRequest,
  deepFreeze,
  invalid,
  StatusError,
  type KubeObject,
  type ObjectKey,
  type Patch,
  type PatchOptions,
  type UpdateOptions,
} from '@converge/core';
import { getPath, isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import { applyPatch, type ApplyPatchInput } from '../patch/apply-patch.js';
import { prepareUpdate } from './object-prep.js';
import type { StoreOps, UpdateSpec } from './store-ops.js';
import { labelSelectorString, type LabelSelectorObject } from './selection.js';

function scaleOf(info: KindInfo) {
  const scale = info.def.subresources?.scale;
  if (!scale) throw new StatusError('NotFound', `the server could not find the requested resource (${info.def.resource}/scale)`);
  return scale;
}

/**
 * The autoscaling/v1 Scale of an object: replicas read from the definition's scale paths, and
 * the selector as a string (a `LabelSelector` in spec is formatted, a string in status is kept).
 */
export function getScale(info: KindInfo, obj: KubeObject): KubeObject {
  const scale = scaleOf(info);
  const m = obj.metadata;
  const metadata: KubeObject['metadata'] = {};
  if (m.name !== undefined) metadata.name = m.name;
  if (m.namespace) metadata.namespace = m.namespace;
  if (m.uid) metadata.uid = m.uid;
  if (m.resourceVersion) metadata.resourceVersion = m.resourceVersion;
  if (m.creationTimestamp) metadata.creationTimestamp = m.creationTimestamp;
  const specReplicas = getPath(obj, scale.specReplicasPath);
  const status: Record<string, unknown> = { replicas: numberOr0(getPath(obj, scale.statusReplicasPath)) };
  if (scale.labelSelectorPath) {
    const sel = getPath(obj, scale.labelSelectorPath);
    if (typeof sel === 'string') status.selector = sel;
    else if (isLabelMap(sel)) status.selector = labelSelectorString({ matchLabels: sel });
    else if (isObject(sel)) status.selector = labelSelectorString(sel as LabelSelectorObject);
  }
  return deepFreeze({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata, spec: { replicas: numberOr0(specReplicas) }, status });
}

/** A plain label map (a ReplicationController's `spec.selector`) rather than a `LabelSelector`. */
function isLabelMap(v: unknown): v is Record<string, string> {
  if (!isObject(v) || 'matchLabels' in v || 'matchExpressions' in v) return false;
  return Object.values(v).every((x) => typeof x === 'string');
}

function numberOr0(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Writes a Scale's `spec.replicas` to its object (conditional on the Scale's resourceVersion when set); returns the new Scale. */
export async function updateScale(
  reg: StoreOps,
  info: KindInfo,
  key: ObjectKey,
  body: KubeObject,
  options: UpdateOptions,
): Promise<KubeObject> {
  scaleOf(info);
  checkScaleBody(body, key);
  const spec: UpdateSpec = {
    mutate: (current) => reg.track(info, current, applyScale(info, current, body, options), options.fieldManager, 'scale'),
  };
  if (body.metadata.resourceVersion) spec.resourceVersion = body.metadata.resourceVersion;
  if (options.dryRun) spec.dryRun = true;
  return getScale(info, await reg.guaranteedUpdate(info, key, spec));
}

/** Patches an object's Scale (the patch applies to the Scale, not the object); returns the new Scale. */
export async function patchScale(reg: StoreOps, info: KindInfo, key: ObjectKey, patch: Patch, options: PatchOptions): Promise<KubeObject> {
  scaleOf(info);
  const spec: UpdateSpec = {
    mutate: (current) => {
      const scale = getScale(info, current);
      const input: ApplyPatchInput = {
        schema: undefined,
        current: scale,
        patch,
        time: reg.timestamp(),
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        subresource: 'scale',
      };
      if (options.fieldManager !== undefined) input.fieldManager = options.fieldManager;
      if (options.force !== undefined) input.force = options.force;
      const patched = applyPatch(input);
      checkScaleBody(patched, key);
      if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== current.metadata.resourceVersion) {
        throw new StatusError(
          'Conflict',
          `Operation cannot be fulfilled on ${info.qualified.group ? `${info.def.resource}.${info.qualified.group}` : info.def.resource} "${key.name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      }
      const next = applyScale(info, current, patched, options);
      return patch.type === 'apply' ? next : reg.track(info, current, next, options.fieldManager, 'scale');
    },
  };
  if (options.dryRun) spec.dryRun = true;
  return getScale(info, await reg.guaranteedUpdate(info, key, spec));
}

function checkScaleBody(body: unknown, key: ObjectKey): asserts body is KubeObject {
  if (!isObject(body) || !isObject(body.metadata)) throw badRequest('the body of a Scale must be a JSON object with metadata');
  if (body.kind !== undefined && body.kind !== 'Scale')
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Scale)`);
  const name = body.metadata.name;
  if (name !== undefined && name !== key.name)
    throw badRequest(`the name of the object (${String(name)}) does not match the name on the URL (${key.name})`);
}

function applyScale(info: KindInfo, current: KubeObject, scale: KubeObject, options: UpdateOptions): KubeObject {
  const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
  const name = current.metadata.name ?? '';
  if (replicas === undefined) return prepareUpdate(info, current, current, options);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const next = withPath(current, info.def.subresources!.scale!.specReplicasPath, replicas);
  return prepareUpdate(info, current, next, options);
}

/** A copy of `obj` with one dotted path set, copying only the objects along the path. */
function withPath(obj: KubeObject, path: string, value: unknown): KubeObject {
  const parts = path.replace(/^\./, '').split('.');
  const root: Record<string, unknown> = { ...obj };
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const child = cur[parts[i]!];
    cur[parts[i]!] = isObject(child) ? { ...child } : {};
    cur = cur[parts[i]!] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
  return root as KubeObject;
}
