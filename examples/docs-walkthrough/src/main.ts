import 'reflect-metadata';
import { Manager, RemoteObjectStore, shutdownSignal } from '@converge/core';
import { WelcomeController } from './welcome.controller.js';

const store = await RemoteObjectStore.fromDefault(); // KUBECONFIG, ~/.kube/config or in-cluster
const manager = new Manager({ store }); // shared informers over the store, and the cached client over them
manager.add(WelcomeController); // created through the manager's container: ObjectStoreToken is the cached client
await manager.start(shutdownSignal()); // until Ctrl-C
