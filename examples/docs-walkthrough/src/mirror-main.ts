import 'reflect-metadata';
import { crdManifestOf, CustomResourceDefinitions, isAlreadyExists, Manager, RemoteObjectStore, shutdownSignal } from '@converge/core';
import { MirrorController } from './mirror.controller.js';
import { Mirrors } from './mirror.kind.js';

const store = await RemoteObjectStore.fromDefault(); // KUBECONFIG, ~/.kube/config or in-cluster
await store.create(CustomResourceDefinitions, crdManifestOf(Mirrors)).catch((err: unknown) => {
  if (!isAlreadyExists(err)) throw err;
});
const manager = new Manager({ store });
manager.add(MirrorController);
await manager.start(shutdownSignal()); // until Ctrl-C
