export type { App } from './app.kind.js';
export { Apps, AppSpecSchema, AppStatusSchema } from './app.kind.js';
export { AppController, APP_FINALIZER, DIRECTORY_CONFIGMAP, CONFIG_HASH_ANNOTATION, appLabels } from './app.controller.js';
