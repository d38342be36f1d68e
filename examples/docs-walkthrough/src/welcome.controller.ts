import 'reflect-metadata';
import {
  ConfigMaps,
  Controller,
  isNotFound,
  mutable,
  Namespaces,
  ObjectStoreToken,
  setControllerReference,
  type ConfigMap,
  type ObjectStore,
  type Reconciler,
  type Request,
} from '@converge/core';
import { inject } from 'inversify';

/** Gives every Namespace a ConfigMap `welcome` whose `message` greets the namespace. */
@Controller({ name: 'welcome', for: Namespaces, owns: [ConfigMaps] })
export class WelcomeController implements Reconciler {
  // The manager injects its cached client: reads from the shared informers, writes to the store.
  constructor(@inject(ObjectStoreToken) private readonly client: ObjectStore) {}

  async reconcile(request: Request): Promise<void> {
    const ns = await this.client.get(Namespaces, request).catch(ignoreNotFound);
    if (!ns || ns.metadata.deletionTimestamp) return; // gone or going: nothing to do

    const key = { namespace: ns.metadata.name!, name: 'welcome' };
    const message = `Welcome to ${ns.metadata.name}!`;
    const existing = await this.client.get(ConfigMaps, key).catch(ignoreNotFound);
    if (!existing) {
      // The Namespace becomes the ConfigMap's controller: the ConfigMap's events come back here.
      const welcome: ConfigMap = { metadata: key, data: { message } };
      await this.client.create(ConfigMaps, setControllerReference(ns, welcome));
      return;
    }
    if (existing.data?.message === message) return; // already right
    const fixed = mutable(existing); // objects from the cache are frozen and shared: copy to change
    fixed.data = { ...fixed.data, message };
    await this.client.update(ConfigMaps, fixed); // conditional on the resourceVersion read
  }
}

function ignoreNotFound(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}
