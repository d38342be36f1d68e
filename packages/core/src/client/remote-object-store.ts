import { Observable } from 'rxjs';
import type { KubeConfig } from '@kubernetes/client-node';
import { StatusError } from '../api/errors.js';
import { type KubeObject, type ObjectKey, type ObjectList, type Status, type WatchEvent } from '../api/meta.js';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  ObjectStore,
  Patch,
  PatchOptions,
  PatchType,
  SelectOptions,
  UpdateOptions,
  WatchOptions,
  WriteOptions,
} from '../store/object-store.js';
import { freezeParsed } from './freeze-parsed.js';
import { ApiConnection, type ApiConnectionOptions, type ApiRequest, type ApiResponse } from './api-connection.js';
import { parseWarnings, statusErrorFromResponse } from './http-errors.js';
import { collectionPath, objectPath, Query } from './resource-paths.js';
import { pipeWatchEvents } from './watch-stream.js';

/** The Content-Type of each patch type. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of a RemoteObjectStore: a kubeconfig (and connection settings), or a ready connection. */
export type RemoteObjectStoreOptions = ApiConnectionOptions | { connection: ApiConnection };

/** Settings for `RemoteObjectStore.forServer`, for when there is no kubeconfig file. */
export interface ServerOptions extends Omit<ApiConnectionOptions, 'kubeConfig'> {
  /** The server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** A bearer token. */
  token?: string;
  /** PEM of the CA that signed the server's certificate. */
  caPem?: string;
  /** PEM of a client certificate and its key. */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** Do not verify the server's certificate. */
  skipTLSVerify?: boolean;
  /** The namespace of the context. */
  namespace?: string;
}

async function loadKubeConfig(): Promise<typeof import('@kubernetes/client-node').KubeConfig> {
  // Loaded on demand: the library takes a second or two to import, and most users of core
  // (in-process stores, tests) never need it.
  const { KubeConfig } = await import('@kubernetes/client-node');
  return KubeConfig;
}

/**
 * The ObjectStore over HTTP: talks to Converge's API server or any Kubernetes API server.
 *
 * ```ts
 * const store = await RemoteObjectStore.fromDefault();   // KUBECONFIG, ~/.kube/config or in-cluster
 * const pods = await store.list(Pods, { namespace: 'default' });
 * ```
 *
 * Requests are raw HTTP on a keep-alive agent, with credentials and TLS from
 * `@kubernetes/client-node` (see `ApiConnection`); responses are parsed once with
 * `JSON.parse` (no typed deserialization), watch responses streamed line by line. Objects
 * handed out are deeply frozen; list items and objects lacking `apiVersion`/`kind` (as
 * Kubernetes serves list items) get them from the resource type. HTTP errors become
 * `StatusError`s from the server's Status; transport failures are ServiceUnavailable (503).
 *
 * Not modelled: protobuf, response compression, and a DELETE answered with a bare Status
 * (some kinds do that) returns a stub object with only name, namespace and uid.
 */
export class RemoteObjectStore implements ObjectStore {
  /** The connection requests go through. */
  readonly connection: ApiConnection;

  /** Makes a store over a kubeconfig or a connection. */
  constructor(options: RemoteObjectStoreOptions) {
    this.connection = 'connection' in options ? options.connection : new ApiConnection(options);
  }

  /** A store for the default kubeconfig: `$KUBECONFIG`, `~/.kube/config`, or the in-cluster service account. */
  static async fromDefault(options: Omit<ApiConnectionOptions, 'kubeConfig'> = {}): Promise<RemoteObjectStore> {
    const KubeConfig = await loadKubeConfig();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    return new RemoteObjectStore({ ...options, kubeConfig });
  }

  /** A store for a kubeconfig file, optionally switching to a named context. */
  static async fromFile(
    path: string,
    options: Omit<ApiConnectionOptions, 'kubeConfig'> & { context?: string } = {},
  ): Promise<RemoteObjectStore> {
    const KubeConfig = await loadKubeConfig();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(path);
    if (options.context) kubeConfig.setCurrentContext(options.context);
    const { context: _context, ...rest } = options;
    return new RemoteObjectStore({ ...rest, kubeConfig });
  }

  /** A store for a server URL and credentials given directly. */
  static async forServer(options: ServerOptions): Promise<RemoteObjectStore> {
    const KubeConfig = await loadKubeConfig();
    const kubeConfig = new KubeConfig();
    const { server, token, caPem, clientCertPem, clientKeyPem, skipTLSVerify, namespace, ...rest } = options;
    const b64 = (s: string | undefined) => (s ? Buffer.from(s).toString('base64') : undefined);
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'cluster', server, skipTLSVerify: skipTLSVerify ?? false, ...(caPem ? { caData: b64(caPem) } : {}) }],
      users: [
        {
          name: 'user',
          ...(token ? { token } : {}),
          ...(clientCertPem ? { certData: b64(clientCertPem) } : {}),
          ...(clientKeyPem ? { keyData: b64(clientKeyPem) } : {}),
        },
      ],
      contexts: [{ name: 'context', cluster: 'cluster', user: 'user', ...(namespace ? { namespace } : {}) }],
      currentContext: 'context',
    });
    return new RemoteObjectStore({ ...rest, kubeConfig });
  }

  /** Makes a store over an existing client-node KubeConfig. */
  static fromKubeConfig(kubeConfig: KubeConfig, options: Omit<ApiConnectionOptions, 'kubeConfig'> = {}): RemoteObjectStore {
    return new RemoteObjectStore({ ...options, kubeConfig });
  }

  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: GetOptions | null = {}): Promise<T> {
    options ??= {};
    const res = await this.call({
      method: 'GET',
      path: objectPath(type, checkKey(key), options.subresource),
      query: new Query().set('resourceVersion', options.resourceVersion).toString(),
    });
    return this.object(type, res, options.subresource);
  }

  async list<T extends KubeObject>(type: ResourceType<T>, options: ListOptions | null = {}): Promise<ObjectList<T>> {
    options ??= {};
    checkOptions(options);
    const query = selectQuery(options)
      .set('limit', options.limit)
      .set('continue', options.continue)
      .set('resourceVersion', options.resourceVersion)
      .set('resourceVersionMatch', options.resourceVersionMatch);
    const res = await this.call({ method: 'GET', path: collectionPath(type, options.namespace), query: query.toString() });
    // The hot path of every informer: one JSON.parse of the body, nothing typed.
    return this.objectList(type, JSON.parse(res.body) as ObjectList<T>);
  }

  watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions | null = {}): Observable<WatchEvent<T>> {
    options ??= {};
    const query = selectQuery(options)
      .set('watch', true)
      .set('resourceVersion', options.resourceVersion)
      .set('allowWatchBookmarks', options.allowWatchBookmarks)
      .set('sendInitialEvents', options.sendInitialEvents)
      .set('resourceVersionMatch', options.sendInitialEvents ? 'NotOlderThan' : undefined)
      .set('timeoutSeconds', options.timeoutSeconds);
    const request: ApiRequest = { method: 'GET', path: collectionPath(type, options.namespace), query: query.toString() };
    const fill = filler(type, undefined);
    const previous = options.previous;
    return new Observable<WatchEvent<T>>((subscriber) => {
      const abort = new AbortController();
      let response: import('node:http').IncomingMessage | undefined;
      this.connection.stream({ ...request, signal: abort.signal }).then(
        (res) => {
          if (subscriber.closed) {
            res.destroy();
            return;
          }
          response = res;
          pipeWatchEvents(res, subscriber, { server: this.connection.server, fill, previous });
        },
        (err: unknown) => {
          if (!abort.signal.aborted) subscriber.error(err);
        },
      );
      return () => {
        abort.abort();
        response?.destroy();
      };
    });
  }

  async create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions | null = {}): Promise<T> {
    options ??= {};
    const namespace = metadataOf(obj).namespace;
    const path = options.subresource
      ? objectPath(
          type,
          { ...(namespace ? { namespace } : {}), name: options.name ?? String(metadataOf(obj).name ?? '') },
          options.subresource,
        )
      : collectionPath(type, namespace);
    const res = await this.call({ method: 'POST', path, query: writeQuery(options).toString(), body: serialize(obj) }, options);
    return this.object(type, res, options.subresource);
  }

  async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions | null = {}): Promise<T> {
    options ??= {};
    const m = metadataOf(obj);
    const key = checkKey({ ...(m.namespace ? { namespace: m.namespace } : {}), name: typeof m.name === 'string' ? m.name : '' });
    const res = await this.call(
      { method: 'PUT', path: objectPath(type, key, options.subresource), query: writeQuery(options).toString(), body: serialize(obj) },
      options,
    );
    return this.object(type, res, options.subresource);
  }

  async patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions | null = {}): Promise<T> {
    options ??= {};
    checkKey(key);
    const contentType = PATCH_CONTENT_TYPES[patch?.type];
    if (!contentType) throw new StatusError('UnsupportedMediaType', `the patch type ${JSON.stringify(patch?.type)} is not supported`);
    const query = writeQuery(options).set('force', patch.type === 'apply' ? options.force : undefined);
    const res = await this.call(
      {
        method: 'PATCH',
        path: objectPath(type, key, options.subresource),
        query: query.toString(),
        body: serialize(patch.body),
        contentType,
      },
      options,
    );
    return this.object(type, res, options.subresource);
  }

  /**
   * Deletes an object and returns it. Kubernetes answers an immediate delete with a bare
   * Status for most kinds, so the object is read first and the DELETE made conditional on
   * its uid (unless the caller gave a uid precondition): the object returned is then the one
   * removed, as it stood when read. A delete kept pending by finalizers or a grace period
   * returns the object from the server's answer.
   */
  async delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: DeleteOptions | null = {}): Promise<T> {
    options ??= {};
    checkKey(key);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(type, key);
      const ownUid = options.preconditions?.uid === undefined && current.metadata.uid !== undefined;
      const preconditions = ownUid ? { ...options.preconditions, uid: current.metadata.uid! } : options.preconditions;
      let res: ApiResponse;
      try {
        res = await this.call({
          method: 'DELETE',
          path: objectPath(type, key),
          body: JSON.stringify(deleteOptionsBody({ ...options, ...(preconditions ? { preconditions } : {}) })),
        });
      } catch (err) {
        // Our own uid precondition failed: the object was replaced since it was read; read again.
        if (ownUid && attempt < 3 && err instanceof StatusError && err.reason === 'Conflict' && !options.preconditions?.resourceVersion)
          continue;
        throw err;
      }
      const body = JSON.parse(res.body) as KubeObject | Status;
      if (body.kind === 'Status' && (body as Status).status === 'Success') return current;
      filler(type, undefined)(body as KubeObject);
      return freezeParsed(body as T);
    }
  }

  async deleteCollection<T extends KubeObject>(type: ResourceType<T>, options: SelectOptions & DeleteOptions = {}): Promise<ObjectList<T>> {
    const res = await this.call({
      method: 'DELETE',
      path: collectionPath(type, options.namespace),
      query: selectQuery(options).toString(),
      body: JSON.stringify(deleteOptionsBody(options)),
    });
    const body = JSON.parse(res.body) as ObjectList<T> | Status;
    if (body.kind === 'Status') return freezeParsed({ apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: {}, items: [] });
    return this.objectList(type, body as ObjectList<T>);
  }

  /** Closes idle connections. */
  close(): void {
    this.connection.close();
  }

  private async call(req: ApiRequest, write?: WriteOptions): Promise<ApiResponse> {
    const res = await this.connection.request(req);
    if (write?.onWarning) for (const w of parseWarnings(res.rawHeaders)) write.onWarning(w);
    if (res.status < 200 || res.status > 299)
      throw statusErrorFromResponse(res.status, res.body, res.headers['retry-after'] as string | undefined);
    return res;
  }

  private object<T extends KubeObject>(type: ResourceType<T>, res: ApiResponse, subresource: string | undefined): T {
    const obj = JSON.parse(res.body) as T;
    filler(type, subresource)(obj);
    return freezeParsed(obj);
  }

  /** Completes and freezes a parsed list in place: each item gets apiVersion/kind if missing. */
  private objectList<T extends KubeObject>(type: ResourceType<T>, list: ObjectList<T>): ObjectList<T> {
    list.metadata ??= {};
    list.items ??= [];
    const fill = filler(type, undefined);
    for (const item of list.items) {
      fill(item);
      freezeParsed(item);
    }
    Object.freeze(list.items);
    Object.freeze(list.metadata);
    return Object.freeze(list);
  }
}

/** The metadata of a body a caller handed in, tolerating malformed ones (the server judges them). */
function metadataOf(obj: unknown): { namespace?: string; name?: unknown } {
  const m = typeof obj === 'object' && obj !== null ? (obj as { metadata?: unknown }).metadata : undefined;
  if (typeof m !== 'object' || m === null) return {};
  const { namespace, name } = m as { namespace?: unknown; name?: unknown };
  return { ...(typeof namespace === 'string' && namespace ? { namespace } : {}), name };
}

/** JSON of a request body; a body JSON cannot represent (a cycle, a BigInt) is a BadRequest. */
function serialize(body: unknown): string {
  try {
    const s = JSON.stringify(body);
    if (s === undefined) throw new Error('the body is not a JSON value');
    return s;
  } catch (err) {
    throw new StatusError('BadRequest', `the request body cannot be encoded as JSON: ${(err as Error).message}`);
  }
}

/** Returns a function adding `apiVersion` and `kind` to objects of `type` that lack them. */
function filler(type: ResourceType, subresource: string | undefined): (obj: KubeObject) => void {
  if (subresource && subresource !== 'status') return () => undefined;
  const apiVersion = apiVersionOf(type);
  const kind = type.kind;
  return (obj) => {
    if (obj.kind === undefined) {
      obj.apiVersion = apiVersion;
      obj.kind = kind;
    }
  };
}

/** Refuses, as the registry does, options the API would misread (a non-string selector, a negative limit). */
function checkOptions(options: SelectOptions & { limit?: number }): void {
  for (const k of ['namespace', 'labelSelector', 'fieldSelector'] as const) {
    const v = options[k];
    if (v !== undefined && typeof v !== 'string') throw new StatusError('BadRequest', `${k} must be a string`);
  }
  const limit = options.limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0))
    throw new StatusError('BadRequest', `limit must be a non-negative integer, got ${JSON.stringify(limit)}`);
}

/** Checks an object key: a non-empty name (client-go refuses an empty one before sending anything). */
function checkKey(key: ObjectKey): ObjectKey {
  if (typeof key !== 'object' || key === null || typeof key.name !== 'string' || key.name === '')
    throw new StatusError('BadRequest', 'resource name may not be empty');
  if (key.namespace !== undefined && typeof key.namespace !== 'string') throw new StatusError('BadRequest', 'namespace must be a string');
  return key;
}

function selectQuery(options: SelectOptions): Query {
  checkOptions(options);
  return new Query().set('labelSelector', options.labelSelector).set('fieldSelector', options.fieldSelector);
}

function writeQuery(options: WriteOptions): Query {
  return new Query()
    .set('dryRun', options.dryRun ? 'All' : undefined)
    .set('fieldManager', options.fieldManager)
    .set('fieldValidation', options.fieldValidation);
}

function deleteOptionsBody(options: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
  if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
  if (options.propagationPolicy) body['propagationPolicy'] = options.propagationPolicy;
  if (options.preconditions) body['preconditions'] = options.preconditions;
  if (options.dryRun) body['dryRun'] = ['All'];
  return body;
}
