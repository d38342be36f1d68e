export type { SyncSettings } from './configmap-sync.controller.js';
export {
  ConfigMapSyncController,
  SyncSettingsToken,
  DEFAULT_SYNC_SETTINGS,
  SYNC_LABEL,
  COPY_LABEL,
  SKIP_LABEL,
} from './configmap-sync.controller.js';
