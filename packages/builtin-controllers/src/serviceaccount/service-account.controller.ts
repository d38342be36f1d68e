import 'reflect-metadata';
import {
  Controller,
  enqueueMapped,
  hasReason,
  isAlreadyExists,
  isNotFound,
  Namespaces,
  ObjectStoreToken,
  ServiceAccounts,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
  type ServiceAccount,
} from '@converge/core';
import { inject } from 'inversify';
import { isNamespaceActive, namespaceOrUndefined } from './namespace-activity.js';

/** The ServiceAccount every namespace gets, and pods run as when they name none. */
export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';

/** The `default` ServiceAccount of a namespace, as the controller creates it. */
export function defaultServiceAccount(namespace: string): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT_NAME, namespace } };
}

/**
 * Kubernetes' service-account controller (`serviceaccount-controller`): a `default`
 * ServiceAccount in every active namespace.
 *
 * It reconciles namespaces: a namespace that appears gets its `default` ServiceAccount, and
 * one whose `default` is deleted gets a new one (the ServiceAccount watch maps `default`
 * back to its namespace). A namespace being deleted (Terminating) is left alone. An existing
 * `default` is never changed: what users set on it (image pull secrets, automount) stays.
 *
 * It reads from the controller's cache and writes only to create a missing account, so a
 * quiet cluster sees no writes from it; an AlreadyExists (the cache was behind, or another
 * controller-manager was first) or a refusal because the namespace went meanwhile is not an
 * error.
 *
 * `@Controller({ name: 'serviceaccount', for: Namespaces, watches: [ServiceAccounts → namespace] })`.
 */
@Controller({
  name: 'serviceaccount',
  for: Namespaces,
  watches: [
    {
      type: ServiceAccounts,
      handler: enqueueMapped((sa) =>
        sa.metadata.name === DEFAULT_SERVICE_ACCOUNT_NAME && sa.metadata.namespace ? { name: sa.metadata.namespace } : undefined,
      ),
    },
  ],
})
export class ServiceAccountController implements Reconciler {
  constructor(@inject(ObjectStoreToken) private readonly store: ObjectStore) {}

  /** Makes sure the namespace `request.name` has its `default` ServiceAccount (see the class documentation). */
  async reconcile(request: Request, ctx?: ReconcileContext): Promise<Result | void> {
    const ns = await namespaceOrUndefined(this.store, request.name);
    if (!ns || !isNamespaceActive(ns)) return;
    try {
      await this.store.get(ServiceAccounts, { namespace: request.name, name: DEFAULT_SERVICE_ACCOUNT_NAME });
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await this.store.create(ServiceAccounts, defaultServiceAccount(request.name));
      ctx?.log.debug({ namespace: request.name }, 'created the default ServiceAccount');
    } catch (err) {
      // Already there (our cache is behind, or another manager made it), or the namespace
      // went / is going: nothing to do.
      if (isAlreadyExists(err) || isNotFound(err) || hasReason(err, 'Forbidden')) return;
      throw err;
    }
  }
}
