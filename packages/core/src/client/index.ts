/**
 * `@converge/core/client`: the HTTP plumbing beneath `RemoteObjectStore` (which itself is in
 * `@converge/core`), for code that speaks the Kubernetes REST protocol directly: the
 * connection, the error mapping of responses, warnings, the patch content types and the
 * resource paths.
 *
 * @module client
 */
export type { ApiRequest, ApiResponse, ApiConnectionOptions } from './api-connection.js';
export { ApiConnection } from './api-connection.js';
export { PATCH_CONTENT_TYPES } from './remote-object-store.js';
export { statusErrorFromResponse, transportError, parseWarnings } from './http-errors.js';
export { groupVersionPath, collectionPath, objectPath } from './resource-paths.js';
