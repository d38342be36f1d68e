/**
 * Runs the ConfigMap sync controller against a cluster: the one in `KUBECONFIG` (or
 * `~/.kube/config`, or in-cluster credentials), e.g. Converge's own (`pnpm converge up`).
 *
 *   node examples/configmap-sync/dist/main.js [--source-namespace config-source]
 */
import 'reflect-metadata';
import { Manager, RemoteObjectStore, SharedInformerFactory, shutdownSignal } from '@converge/core';
import { ConfigMapSyncController, DEFAULT_SYNC_SETTINGS, SyncSettingsToken, type SyncSettings } from './configmap-sync.controller.js';

const flag = process.argv.indexOf('--source-namespace');
const settings: SyncSettings = { sourceNamespace: flag > 0 ? process.argv[flag + 1]! : DEFAULT_SYNC_SETTINGS.sourceNamespace };

const store = await RemoteObjectStore.fromDefault();
const manager = new Manager({
  store,
  informers: ({ clock, logger }) => new SharedInformerFactory({ store, clock, logger }),
  http: { port: Number(process.env.HEALTH_PORT ?? 0) },
});
manager.container.bind(SyncSettingsToken).toConstantValue(settings);
manager.add(ConfigMapSyncController);
manager.log.info({ sourceNamespace: settings.sourceNamespace }, 'starting the configmap-sync controller');
await manager.start(shutdownSignal());
