/**
 * Publishes the cluster CA in every namespace as the ConfigMap `kube-root-ca.crt` (key
 * `ca.crt`), as Kubernetes' root-CA-cert-publisher controller does: in-cluster clients read it
 * (through the `kube-api-access-*` volume of their pods) to trust the API server. A deleted
 * ConfigMap is recreated; a changed one is put back (its data replaced by the CA alone).
 */
import type { Clock, KubeObject, ObjectStore, Logger } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { ROOT_CA_CONFIG_MAP } from '../admission/service-account.plugin.js';
import { PerNamespaceObjectReconciler } from './per-namespace-object.reconciler.js';

/** The annotation saying what the ConfigMap is for. */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'The CA bundle that verifies the kube-apiserver when it is reached by in-cluster names such as the kubernetes.default.svc service or its cluster IP. Nothing else about it is promised across Kubernetes distributions.';

/** Options of the RootCAConfigMapReconciler. */
export interface RootCAConfigMapOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: Logger;
  /** The cluster CA certificate (PEM). */
  caCertPem: string;
}

/** The `kube-root-ca.crt` ConfigMap of a namespace. */
export function rootCAConfigMap(namespace: string, caCertPem: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
    data: { 'ca.crt': caCertPem },
  };
}

/** Keeps `kube-root-ca.crt` with the cluster CA in every active namespace. */
export class RootCAConfigMapReconciler {
  private readonly keeper: PerNamespaceObjectReconciler;

  constructor(o: RootCAConfigMapOptions) {
    this.keeper = new PerNamespaceObjectReconciler({
      store: o.store,
      catalog: o.catalog,
      clock: o.clock,
      logger: o.logger,
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      name: ROOT_CA_CONFIG_MAP,
      spec: (namespace) => ({
        desired: () => rootCAConfigMap(namespace, o.caCertPem),
        repair: (current) => {
          const data = current['data'] as Record<string, string> | undefined;
          const annotations = current.metadata.annotations ?? {};
          const dataRight = data !== undefined && Object.keys(data).length === 1 && data['ca.crt'] === o.caCertPem;
          if (dataRight && annotations[DESCRIPTION_ANNOTATION]) return undefined;
          current['data'] = { 'ca.crt': o.caCertPem };
          current.metadata.annotations = { ...annotations, [DESCRIPTION_ANNOTATION]: annotations[DESCRIPTION_ANNOTATION] || DESCRIPTION };
          return current;
        },
      }),
    });
  }

  /** Publishes the CA in existing namespaces, then follows changes. */
  start(): Promise<void> {
    return this.keeper.start();
  }

  /** Stops following changes. */
  stop(): void {
    this.keeper.stop();
  }
}
