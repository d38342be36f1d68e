/**
 * NamespaceLifecycle: nothing is created in a namespace that does not exist (404) or is being
 * deleted (403), and the system namespaces `default`, `kube-system` and `kube-public` cannot be
 * deleted (403).
 */
import { forbidden, isNotFound, notFound, type KubeObject } from '@converge/core';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from './admission.js';

/** Namespaces that may never be deleted. */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

/** The NamespaceLifecycle admission plugin. */
export class NamespaceLifecyclePlugin implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  async validate(req: AdmissionRequest, ctx: AdmissionContext): Promise<void> {
    const def = req.definition;
    const qualified = def.group ? { group: def.group, resource: def.resource } : { resource: def.resource };
    if (req.operation === 'DELETE') {
      if (def.group === '' && def.resource === 'namespaces' && req.name && IMMORTAL_NAMESPACES.includes(req.name)) {
        throw forbidden(qualified, req.name, 'this namespace may not be deleted');
      }
      return;
    }
    const creates = req.operation === 'CREATE' || (req.operation === 'UPDATE' && req.apply === true);
    if (!creates || !def.namespaced || !req.namespace || req.subresource) return;
    if (def.group === '' && def.resource === 'events') return;
    const nsDef = ctx.catalog.get(NAMESPACES);
    if (!nsDef) return;
    let ns: KubeObject;
    try {
      ns = await ctx.store.get(nsDef, { name: req.namespace });
    } catch (err) {
      if (isNotFound(err)) throw notFound({ resource: 'namespaces' }, req.namespace);
      throw err;
    }
    const terminating =
      ns.metadata.deletionTimestamp !== undefined || (ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating';
    if (terminating && req.operation === 'CREATE') {
      throw forbidden(
        qualified,
        req.name ?? '',
        `unable to create new content in namespace ${req.namespace} because it is being terminated`,
      );
    }
  }
}
