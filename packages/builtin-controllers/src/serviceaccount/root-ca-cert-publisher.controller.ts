import 'reflect-metadata';
import {
  ConfigMaps,
  Controller,
  enqueueMapped,
  hasReason,
  isAlreadyExists,
  isNotFound,
  mutable,
  Namespaces,
  ObjectStoreToken,
  type ConfigMap,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { inject } from 'inversify';
import { isNamespaceActive, namespaceOrUndefined } from './namespace-activity.js';
import { RootCAToken } from './tokens.js';

/** The ConfigMap, in every namespace, that holds the cluster CA under `ca.crt`. */
export const ROOT_CA_CONFIG_MAP_NAME = 'kube-root-ca.crt';
/** The key of the CA certificate in that ConfigMap. */
export const ROOT_CA_KEY = 'ca.crt';
/** The annotation saying what the ConfigMap is for. */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'The CA bundle that verifies the kube-apiserver when it is reached by in-cluster names such as the kubernetes.default.svc service or its cluster IP. Nothing else about it is promised across Kubernetes distributions.';

/** The `kube-root-ca.crt` ConfigMap of a namespace, as the publisher creates it. */
export function rootCAConfigMap(namespace: string, caCertPem: string): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIG_MAP_NAME, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
    data: { [ROOT_CA_KEY]: caCertPem },
  };
}

/**
 * Whether a `kube-root-ca.crt` ConfigMap is as published: its data is exactly `ca.crt` = the
 * CA and it carries a description annotation (as Kubernetes compares).
 */
export function rootCAConfigMapIsCurrent(cm: ConfigMap, caCertPem: string): boolean {
  const data = cm.data ?? {};
  const keys = Object.keys(data);
  return keys.length === 1 && data[ROOT_CA_KEY] === caCertPem && !!cm.metadata.annotations?.[DESCRIPTION_ANNOTATION];
}

/**
 * Kubernetes' root CA certificate publisher (`root-ca-certificate-publisher-controller`): the
 * ConfigMap `kube-root-ca.crt` with the cluster CA as `ca.crt` in every active namespace.
 * In-cluster clients trust the API server with it (it is part of the `kube-api-access-*`
 * volume ServiceAccount admission gives pods).
 *
 * It reconciles namespaces: a namespace that appears gets the ConfigMap; a deleted one is
 * created again and an edited one put back (data replaced by the CA alone, the description
 * annotation restored, other metadata kept), since the ConfigMap watch maps
 * `kube-root-ca.crt` back to its namespace. Terminating namespaces are left alone.
 *
 * The CA is the controller-manager's `rootCA` option (injected as `RootCAToken`). Reads come
 * from the controller's cache and it writes only when the stored ConfigMap differs from what
 * it publishes, so several controller-managers, or a quiet cluster, cause no writes. An update
 * from a stale cache fails with Conflict and is retried with back-off.
 *
 * `@Controller({ name: 'root-ca-cert-publisher', for: Namespaces, watches: [ConfigMaps → namespace] })`.
 */
@Controller({
  name: 'root-ca-cert-publisher',
  for: Namespaces,
  watches: [
    {
      type: ConfigMaps,
      handler: enqueueMapped((cm) =>
        cm.metadata.name === ROOT_CA_CONFIG_MAP_NAME && cm.metadata.namespace ? { name: cm.metadata.namespace } : undefined,
      ),
    },
  ],
})
export class RootCACertPublisher implements Reconciler {
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(RootCAToken) private readonly rootCA: string,
  ) {}

  /** Makes the namespace `request.name`'s `kube-root-ca.crt` hold the CA (see the class documentation). */
  async reconcile(request: Request, ctx?: ReconcileContext): Promise<Result | void> {
    const ns = await namespaceOrUndefined(this.store, request.name);
    if (!ns || !isNamespaceActive(ns)) return;
    let current: ConfigMap;
    try {
      current = await this.store.get(ConfigMaps, { namespace: request.name, name: ROOT_CA_CONFIG_MAP_NAME });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.store.create(ConfigMaps, rootCAConfigMap(request.name, this.rootCA));
        ctx?.log.debug({ namespace: request.name }, 'published the root CA');
      } catch (createErr) {
        // AlreadyExists: the cache is behind (its event reconciles again and compares).
        if (isAlreadyExists(createErr) || isNotFound(createErr) || hasReason(createErr, 'Forbidden')) return;
        throw createErr;
      }
      return;
    }
    if (current.metadata.deletionTimestamp || rootCAConfigMapIsCurrent(current, this.rootCA)) return;
    const next = mutable(current);
    next.data = { [ROOT_CA_KEY]: this.rootCA };
    const annotations = next.metadata.annotations ?? {};
    next.metadata.annotations = { ...annotations, [DESCRIPTION_ANNOTATION]: annotations[DESCRIPTION_ANNOTATION] || DESCRIPTION };
    try {
      await this.store.update(ConfigMaps, next);
      ctx?.log.debug({ namespace: request.name }, 'put the root CA back');
    } catch (err) {
      if (isNotFound(err)) return; // deleted meanwhile: its DELETED event reconciles again
      throw err;
    }
  }
}
