import 'reflect-metadata';
import { Manager, RemoteObjectStore, SharedInformerFactory, shutdownSignal } from '@converge/core';
import { WelcomeController } from './welcome.controller.js';

const store = await RemoteObjectStore.fromDefault(); // KUBECONFIG, ~/.kube/config or in-cluster
const manager = new Manager({
  store,
  informers: ({ clock, logger }) => new SharedInformerFactory({ store, clock, logger }),
});
manager.add(WelcomeController);
await manager.start(shutdownSignal()); // until Ctrl-C
