/**
 * Runs the App controller against a cluster: the one in `KUBECONFIG` (or `~/.kube/config`,
 * or in-cluster credentials), e.g. Converge's own (`pnpm converge up`). Installs the App
 * CRD first when the cluster does not serve it yet.
 *
 *   node examples/app-operator/dist/main.js
 *   kubectl apply -f examples/app-operator/app.yaml
 */
import 'reflect-metadata';
import {
  crdManifestOf,
  CustomResourceDefinitions,
  isAlreadyExists,
  Manager,
  RemoteObjectStore,
  SharedInformerFactory,
  shutdownSignal,
} from '@converge/core';
import { AppController } from './app.controller.js';
import { Apps } from './app.kind.js';

const store = await RemoteObjectStore.fromDefault();
try {
  await store.create(CustomResourceDefinitions, crdManifestOf(Apps));
} catch (err) {
  if (!isAlreadyExists(err)) throw err;
}
const manager = new Manager({
  store,
  informers: ({ clock, logger }) => new SharedInformerFactory({ store, clock, logger }),
  http: { port: Number(process.env.HEALTH_PORT ?? 0) },
});
manager.add(AppController);
manager.log.info('starting the app controller');
await manager.start(shutdownSignal());
