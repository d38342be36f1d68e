import { badRequest, conflict, invalid, type CreateOptions, type KubeObject, type StatusCause } from '@converge/core';
import { isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import type { StoreOps, UpdateSpec } from './store-ops.js';

const BINDING = { resource: 'pods/binding' };

/**
 * `POST pods/<name>/binding`: assigns a Pod to a node, as the scheduler does. Sets
 * `spec.nodeName`, copies the Binding's annotations onto the Pod and marks the PodScheduled
 * condition True. A Pod already bound (or being deleted) answers 409 Conflict. Returns the
 * bound Pod.
 */
export async function bindPod(reg: StoreOps, info: KindInfo, body: KubeObject, options: CreateOptions): Promise<KubeObject> {
  if (!isObject(body) || !isObject((body as KubeObject).metadata))
    throw badRequest('the body of a Binding must be a JSON object with metadata');
  if (body.kind !== undefined && body.kind !== 'Binding')
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Binding)`);
  const name = options.name ?? body.metadata.name;
  if (typeof name !== 'string' || !name) throw badRequest('the name of the pod to bind is required');
  if (body.metadata.name !== undefined && body.metadata.name !== name)
    throw badRequest(`name in URL (${name}) does not match name in Binding object (${String(body.metadata.name)})`);
  const target = isObject(body.target) ? body.target : {};
  const causes: StatusCause[] = [];
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node')
    causes.push({
      field: 'target.kind',
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node", ""`,
    });
  if (typeof target.name !== 'string' || !target.name)
    causes.push({ field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' });
  if (causes.length > 0) throw invalid('Binding', undefined, name, causes);
  const nodeName = target.name as string;
  const key = reg.keyOf(info, { namespace: body.metadata.namespace as string | undefined, name });
  const annotations = isObject(body.metadata.annotations) ? (body.metadata.annotations as Record<string, string>) : undefined;
  const spec: UpdateSpec = {
    mutate: (pod) => {
      if (body.metadata.uid && body.metadata.uid !== pod.metadata.uid) {
        throw conflict(
          BINDING,
          name,
          `Precondition failed: UID in precondition: ${body.metadata.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`,
        );
      }
      if (pod.metadata.deletionTimestamp) throw conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      const podSpec = isObject(pod.spec) ? pod.spec : {};
      if (podSpec.nodeName) throw conflict(BINDING, name, `pod ${name} is already assigned to node "${String(podSpec.nodeName)}"`);
      const metadata = { ...pod.metadata };
      delete metadata.resourceVersion;
      if (annotations) metadata.annotations = { ...(metadata.annotations ?? {}), ...annotations };
      const status = isObject(pod.status) ? pod.status : {};
      const conditions = Array.isArray(status.conditions) ? (status.conditions as Record<string, unknown>[]) : [];
      const old = conditions.find((c) => c.type === 'PodScheduled');
      const scheduled = {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : reg.timestamp(),
      };
      const nextConditions = old ? conditions.map((c) => (c === old ? scheduled : c)) : [...conditions, scheduled];
      return { ...pod, metadata, spec: { ...podSpec, nodeName }, status: { ...status, conditions: nextConditions } };
    },
  };
  if (body.metadata.resourceVersion) spec.resourceVersion = body.metadata.resourceVersion as string;
  if (options.dryRun) spec.dryRun = true;
  return reg.guaranteedUpdate(info, key, spec);
}
