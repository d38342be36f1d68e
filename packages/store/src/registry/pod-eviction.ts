import {
  badRequest,
  forbidden,
  internalError,
  isConflict,
  StatusError,
  type CreateOptions,
  type DeleteOptions,
  type KubeObject,
} from '@converge/core';
import { deleteObject } from './deletion.js';
import { isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import { listObjects } from './listing.js';
import type { StoreOps } from './store-ops.js';
import { matchesLabelSelector, type LabelSelectorObject } from './selection.js';

const MAX_DISRUPTED_PODS = 2000;

/**
 * `POST pods/<name>/eviction`: deletes a Pod unless a PodDisruptionBudget forbids it, as
 * Kubernetes' eviction subresource does. A finished, pending or terminating Pod, or one no
 * budget selects, is simply deleted. With one matching budget the eviction takes one of its
 * `disruptionsAllowed` (recorded in `status.disruptedPods`) or fails with 429
 * TooManyRequests; more than one matching budget is an error. Returns what the delete returns.
 */
export async function evictPod(reg: StoreOps, info: KindInfo, body: KubeObject, options: CreateOptions): Promise<KubeObject> {
  if (!isObject(body) || !isObject((body as KubeObject).metadata))
    throw badRequest('the body of an Eviction must be a JSON object with metadata');
  if (body.kind !== undefined && body.kind !== 'Eviction')
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Eviction)`);
  const name = options.name ?? body.metadata.name;
  if (typeof name !== 'string' || !name) throw badRequest('the name of the pod to evict is required');
  if (body.metadata.name !== undefined && body.metadata.name !== name)
    throw badRequest(`name in URL (${name}) does not match name in Eviction object (${String(body.metadata.name)})`);
  const key = reg.keyOf(info, { namespace: body.metadata.namespace as string | undefined, name });
  const deleteOptions: DeleteOptions = isObject(body.deleteOptions) ? { ...(body.deleteOptions as DeleteOptions) } : {};
  if (options.dryRun) deleteOptions.dryRun = true;

  for (let attempt = 1; ; attempt++) {
    const pod = (await reg.read(info, key)).object;
    const phase = isObject(pod.status) ? pod.status.phase : undefined;
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp)
      return deleteObject(reg, info, key, deleteOptions);
    const pdbDef = reg.catalog.get({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' });
    if (!pdbDef) return deleteObject(reg, info, key, deleteOptions);
    const pdbInfo = reg.layout.info(pdbDef);
    const pdbs = (await listObjects(reg, pdbInfo, { namespace: key.namespace! })).items.filter((pdb) => selects(pdb, pod));
    if (pdbs.length === 0) return deleteObject(reg, info, key, deleteOptions);
    if (pdbs.length > 1)
      throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = pdbs[0]!;
    const pdbName = pdb.metadata.name!;
    const spec = isObject(pdb.spec) ? pdb.spec : {};
    if (!isReady(pod) && spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return deleteObject(reg, info, key, deleteOptions);
    const status = isObject(pdb.status) ? pdb.status : {};
    if (typeof status.observedGeneration !== 'number' || status.observedGeneration < (pdb.metadata.generation ?? 0)) {
      throw budgetViolated(`The disruption budget ${pdbName} is still being processed by the server.`);
    }
    const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0;
    const currentHealthy = typeof status.currentHealthy === 'number' ? status.currentHealthy : 0;
    const desiredHealthy = typeof status.desiredHealthy === 'number' ? status.desiredHealthy : 0;
    if (!isReady(pod) && currentHealthy >= desiredHealthy && desiredHealthy > 0) return deleteObject(reg, info, key, deleteOptions);
    if (allowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudgets' }, pdbName, 'pdb disruptions allowed is negative');
    const disrupted = isObject(status.disruptedPods) ? status.disruptedPods : {};
    if (Object.keys(disrupted).length > MAX_DISRUPTED_PODS)
      throw forbidden(
        { group: 'policy', resource: 'poddisruptionbudgets' },
        pdbName,
        'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
      );
    if (allowed === 0)
      throw budgetViolated(`The disruption budget ${pdbName} needs ${desiredHealthy} healthy pods and has ${currentHealthy} currently`);
    if (!options.dryRun) {
      try {
        await reg.guaranteedUpdate(
          pdbInfo,
          { namespace: key.namespace!, name: pdbName },
          {
            resourceVersion: pdb.metadata.resourceVersion!,
            mutate: (cur) => ({
              ...cur,
              metadata: withoutVersion(cur.metadata),
              status: { ...status, disruptionsAllowed: allowed - 1, disruptedPods: { ...disrupted, [name]: reg.timestamp() } },
            }),
          },
        );
      } catch (err) {
        if (isConflict(err) && attempt < 10) continue;
        throw err;
      }
    }
    return deleteObject(reg, info, key, deleteOptions);
  }
}

function selects(pdb: KubeObject, pod: KubeObject): boolean {
  const spec = isObject(pdb.spec) ? pdb.spec : {};
  if (!isObject(spec.selector)) return false;
  return matchesLabelSelector(spec.selector as LabelSelectorObject, pod.metadata.labels);
}

function isReady(pod: KubeObject): boolean {
  const conditions =
    isObject(pod.status) && Array.isArray(pod.status.conditions) ? (pod.status.conditions as Record<string, unknown>[]) : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function withoutVersion(m: KubeObject['metadata']): KubeObject['metadata'] {
  const out = { ...m };
  delete out.resourceVersion;
  return out;
}

function budgetViolated(cause: string): StatusError {
  return new StatusError('TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    details: { causes: [{ reason: 'DisruptionBudget', message: cause }] },
  });
}
