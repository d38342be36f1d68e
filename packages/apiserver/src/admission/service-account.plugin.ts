/**
 * ServiceAccount admission: a Pod created without a service account runs as `default`.
 *
 * Not modelled yet: refusing pods whose service account does not exist, and mounting the
 * projected `kube-api-access-*` token volume (the kubelet's volume plugins do not serve
 * projected volumes yet).
 */
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';

/** The service account pods use when they name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The ServiceAccount admission plugin (mutating). */
export class ServiceAccountPlugin implements AdmissionPlugin {
  readonly name = 'ServiceAccount';

  admit(req: AdmissionRequest): void {
    const def = req.definition;
    if (req.operation !== 'CREATE' || req.subresource || def.group !== '' || def.resource !== 'pods' || !req.object) return;
    const spec = req.object['spec'] as { serviceAccountName?: string; serviceAccount?: string } | undefined;
    if (!spec || typeof spec !== 'object') return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    if (!spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  }
}
