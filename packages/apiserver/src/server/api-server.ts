/**
 * `startApiServer`: the Kubernetes API over an ObjectStore and a ResourceCatalog, on HTTPS
 * (by default) or plain HTTP on the loopback interface.
 *
 * ```ts
 * const server = await startApiServer({ store: registry, catalog, port: 6443, dataDir: '.converge' });
 * // kubeconfig: server.url, server.caCertPem, server.adminToken
 * await server.stop();
 * ```
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  isNotFound,
  realClock,
  silentLogger,
  type Clock,
  type CustomResourceDefinition,
  type KubeObject,
  type Logger,
  type ObjectStore,
} from '@converge/core';
import type { PeerDirectory } from '@converge/store';
import { definitionsFromCRD as coreDefinitionsFromCRD, type ResourceCatalog } from '@converge/core/kinds';
import type { Registry as MetricsRegistry } from 'prom-client';
import { Registry } from '@converge/store';
import { AdmissionChain, type AdmissionPlugin } from '../admission/admission.js';
import { AdmittedStore } from '../admission/admitted-store.js';
import { NamespaceLifecyclePlugin } from '../admission/namespace-lifecycle.plugin.js';
import { DefaultTolerationSecondsPlugin } from '../admission/default-toleration-seconds.plugin.js';
import { PriorityPlugin } from '../admission/priority.plugin.js';
import { ServiceAccountPlugin } from '../admission/service-account.plugin.js';
import { AllowAuthenticatedAuthorizer, type Authorizer } from '../auth/authorizer.js';
import { RequestAuthenticator } from '../auth/request-authenticator.js';
import { ReviewHandler } from '../auth/review.handler.js';
import { ServiceAccountTokens } from '../auth/service-account-tokens.js';
import { readTokenFile, StaticTokenAuthenticator, type StaticToken } from '../auth/static-token.authenticator.js';
import { MASTERS_GROUP, type TokenAuthenticator, type UserInfo } from '../auth/user-info.js';
import { ensureSystemNamespaces } from '../bootstrap/system-namespaces.js';
import { advertiseAddressOf, KubernetesServiceReconciler } from '../bootstrap/kubernetes-service.reconciler.js';
import { ensureSystemPriorityClasses } from '../bootstrap/system-priority-classes.js';
import { CrdRegistrar, type DefinitionsFromCRD } from '../crd/crd-registrar.js';
import { DiscoveryService } from '../discovery/discovery-service.js';
import { ObjectResponder } from '../handlers/object-responder.js';
import { ResourceHandler } from '../handlers/resource.handler.js';
import { ServiceProxyHandler } from '../handlers/proxy.handler.js';
import { WatchHandler } from '../handlers/watch.handler.js';
import type { ProtobufDecoder } from '../http/body-decoder.js';
import { MAX_REQUEST_BODY_BYTES } from '../http/body-reader.js';
import { NoKubeletConnector, type KubeletConnector } from '../kubelet/kubelet-connector.js';
import { OpenAPIService } from '../openapi/openapi-service.js';
import { decodeProtobuf } from '../protobuf/protobuf-codec.js';
import { RequestMetrics } from '../observability/request-metrics.js';
import { TableConvertor } from '../tables/table-convertor.js';
import { ApiHandler, type OpenAPIHandler } from './api-handler.js';
import { issueCertificate, loadOrCreateTlsAssets, type CertificateAndKey } from './tls-assets.js';
import { claimClusterIdentity, clusterIdentityOf, loadOrCreateAdminToken, type ClusterCredentials } from './cluster-identity.js';
import { answerClientError, MAX_HEADER_BYTES } from './client-error.js';
import { InsecureLoopbackAuthenticator, isLoopbackAddress, UNSECURED_USER } from './insecure-loopback.authenticator.js';
import { versionInfo } from './version-info.js';

/** How the API server authenticates callers. */
export interface AuthenticationOptions {
  /** A static token file: CSV lines `token,user,uid,"group1,group2"`. */
  tokenFile?: string;
  /** Static tokens given in code. */
  tokens?: StaticToken[];
  /** Extra CA certificates (PEM) whose client certificates are accepted, beside the cluster CA. */
  clientCAs?: string[];
  /** The admin's bearer token; default: kept in `<dataDir>/admin-token` (made on first start), or random. */
  adminToken?: string;
  /** The issuer of service-account tokens (default `https://kubernetes.default.svc.cluster.local`). */
  serviceAccountIssuer?: string;
  /** The audiences the server accepts in service-account tokens (default: the issuer). */
  apiAudiences?: string[];
}

/** Options of `startApiServer`. */
export interface ApiServerOptions {
  /** Where objects live: the registry, or any ObjectStore. */
  store: ObjectStore;
  /**
   * The health check of the storage that `/healthz`, `/livez` and `/readyz` run (named `etcd`
   * as in Kubernetes for an etcd backend). Default: the store's `checkBackend()` when the store
   * is a Registry; none otherwise.
   */
  storageCheck?: { name: string; check: () => Promise<void> };
  /** The kinds served; CRDs add to it. */
  catalog: ResourceCatalog;
  /** The address to listen on (default 127.0.0.1). Plain HTTP is only allowed on a loopback address. */
  host?: string;
  /** The port (default 6443; 0 = any free port). */
  port?: number;
  /** Where the CA, serving certificate, service-account key and admin token are kept (unset = in memory only). */
  dataDir?: string;
  /**
   * HTTPS (default) or plain HTTP (`false`): only on a loopback address, and WITHOUT
   * AUTHENTICATION, as kube-apiserver's old insecure port: requests without credentials act as
   * `system:unsecured` (group `system:masters`), since kubectl sends no token over `http://`.
   */
  tls?: boolean;
  authentication?: AuthenticationOptions;
  /** The authorizer plug point (default: every authenticated user may do everything). */
  authorizer?: Authorizer;
  /** Admission plugins, in order (default: `defaultAdmissionPlugins()`: NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds). */
  admissionPlugins?: AdmissionPlugin[];
  /** Serves pods/log, exec, attach, portforward and proxy, and nodes/proxy (default: a 503 saying no kubelet is connected). */
  kubelet?: KubeletConnector;
  /** Decodes protobuf request bodies (default: the built-in protobuf codec; `false` = protobuf bodies are a 415). */
  protobuf?: ProtobufDecoder | false;
  /** Serves `/openapi/v2` and `/openapi/v3` (default: the OpenAPIService over the catalog; `false` = none). */
  openapi?: ((catalog: ResourceCatalog) => OpenAPIHandler & { close?(): void }) | false;
  /** Turns a CRD into definitions of its served versions (default: core's `definitionsFromCRD`; `false` = CRDs are stored but not served). */
  definitionsFromCRD?: DefinitionsFromCRD | false;
  clock?: Clock;
  /** Where access-log lines and errors go: core's pino `Logger` (default: `silentLogger()`, nowhere). */
  logger?: Logger;
  /** Write one access-log line per request to `logger.info` (default true). */
  accessLog?: boolean;
  /** The prom-client registry of the metrics (default: a new one per server). */
  metricsRegistry?: MetricsRegistry;
  /**
   * Bootstrap what kube-apiserver itself keeps (default true): the system namespaces and
   * PriorityClasses, and the `kubernetes` Service in `default` with its Endpoints and
   * EndpointSlice. The `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap of every
   * namespace are the controller-manager's (`@converge/builtin-controllers`), as in Kubernetes.
   */
  bootstrap?: boolean;
  /** The API server's address in the `kubernetes` Service's endpoints (default: `host`, or this machine's address when `host` is a wildcard). */
  advertiseAddress?: string;
  /**
   * The cluster's CA, service-account signing key and admin token, shared by several API servers
   * (see `readClusterCredentials`); what is unset is this server's own (in `dataDir`, or made up).
   */
  credentials?: ClusterCredentials;
  /**
   * Where the API servers of the cluster find each other (an `EtcdPeerDirectory` for servers
   * sharing one etcd): the server claims the cluster identity there at start (and refuses to
   * start when the store belongs to a cluster with another CA or service-account key), and
   * announces itself so that every live server is in the `kubernetes` endpoints. Default: a
   * directory of this server alone.
   */
  peers?: PeerDirectory;
  /** How long this server stays in the `kubernetes` endpoints after dying without a clean stop, in seconds (default 15). */
  apiServerLeaseSeconds?: number;
  /** The request body limit (default 3 MiB). */
  maxRequestBodyBytes?: number;
  /** The Converge version shown in `/version` (default: this package's). */
  version?: string;
  /** The timeout of watches that ask for none, in seconds (default 1800, randomized up to twice that). */
  minWatchTimeoutSeconds?: number;
}

/** A running API server. */
export interface RunningApiServer {
  /** `https://127.0.0.1:6443` (or `http://...`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The cluster CA certificate (PEM); undefined for plain HTTP. */
  readonly caCertPem: string | undefined;
  /** The bearer token of the admin user (`admin`, group `system:masters`). */
  readonly adminToken: string;
  /** The HTTP(S) server. */
  readonly server: Server;
  /** The metrics (`/metrics`). */
  readonly metrics: RequestMetrics;
  /** Issues a client certificate signed by the cluster CA (CN = user, O = groups); HTTPS only. */
  issueClientCertificate(user: string, groups?: string[]): CertificateAndKey;
  /** Issues a service-account token, as `serviceaccounts/<name>/token` does. */
  serviceAccountToken(namespace: string, name: string, options?: { audiences?: string[]; expirationSeconds?: number }): Promise<string>;
  /**
   * The server's store as a component running in this process should write to it: reads and
   * watches go straight to the store, and every write first passes this server's admission
   * chain (the same plugins, in the same order, before the store validates it) and its write
   * hooks, exactly as the same write over HTTP would, as `user`. The controller-manager, the
   * scheduler and node agents run in `converge up` use one each, so that their pods get what
   * admission adds (default tolerations, priority, service account) as in Kubernetes.
   *
   * ```ts
   * const store = server.admittedStore({ user: CONTROLLER_MANAGER_USER });
   * ```
   */
  admittedStore(options: { user: UserInfo }): ObjectStore;
  /** Stops listening, ends open watches and background work. */
  stop(): Promise<void>;
}

/**
 * The admission plugins a server runs unless told otherwise, in Kubernetes' order:
 * NamespaceLifecycle, ServiceAccount (default account, API credentials volume), Priority
 * (priority from the PriorityClass) and DefaultTolerationSeconds (not-ready / unreachable for 300 s).
 */
export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [new NamespaceLifecyclePlugin(), new ServiceAccountPlugin(), new PriorityPlugin(), new DefaultTolerationSecondsPlugin()];
}

/** Starts the API server; resolves once it listens and its start-up work is done. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const host = options.host ?? '127.0.0.1';
  const useTls = options.tls !== false;
  if (!useTls && !isLoopbackAddress(host)) throw new Error(`plain HTTP is only allowed on a loopback address, not ${host}`);
  const clock = options.clock ?? realClock;
  const logger = options.logger ?? silentLogger();
  const { store, catalog } = options;

  // Certificates are checked by TLS peers against their wall clocks, never against an injected
  // (possibly virtual) Clock: their validity is wall-clock time.
  const advertiseAddress = options.advertiseAddress ?? advertiseAddressOf(host);
  const tls = useTls
    ? loadOrCreateTlsAssets({
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        ...(options.credentials?.ca ? { ca: options.credentials.ca } : {}),
        hosts: [...new Set([host, advertiseAddress])],
        now: Date.now(),
      })
    : undefined;
  const adminToken =
    options.authentication?.adminToken ??
    loadOrCreateAdminToken({
      ...(options.credentials?.adminToken ? { given: options.credentials.adminToken } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    });
  const auth = options.authentication ?? {};
  const staticTokens: StaticToken[] = [{ token: adminToken, user: 'admin', uid: 'admin', groups: [MASTERS_GROUP] }, ...(auth.tokens ?? [])];
  if (auth.tokenFile) staticTokens.push(...readTokenFile(auth.tokenFile));
  const saDef = () => catalog.get({ group: '', version: 'v1', resource: 'serviceaccounts' });
  const saTokens = new ServiceAccountTokens({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.credentials?.serviceAccountSigningKeyPem ? { signingKeyPem: options.credentials.serviceAccountSigningKeyPem } : {}),
    ...(auth.serviceAccountIssuer ? { issuer: auth.serviceAccountIssuer } : {}),
    ...(auth.apiAudiences ? { apiAudiences: auth.apiAudiences } : {}),
    clock,
    lookup: async (namespace, name) => {
      const def = saDef();
      if (!def) return undefined;
      try {
        return await store.get<KubeObject>(def, { namespace, name });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  });
  // One cluster, one identity: refuse a store that belongs to a cluster with another CA or key.
  if (options.peers) await claimClusterIdentity(options.peers, clusterIdentityOf(tls?.ca.certPem, saTokens.publicKey));
  const tokenAuthenticators: TokenAuthenticator[] = [new StaticTokenAuthenticator(staticTokens), saTokens];
  // Plain HTTP is the old insecure port: no credentials needed (loopback only, checked above).
  const authenticator = useTls ? new RequestAuthenticator(tokenAuthenticators) : new InsecureLoopbackAuthenticator(tokenAuthenticators);
  const authorizer = options.authorizer ?? new AllowAuthenticatedAuthorizer();
  const admission = new AdmissionChain(options.admissionPlugins ?? defaultAdmissionPlugins(), { store, catalog });
  const metrics = new RequestMetrics(options.metricsRegistry);
  const tables = new TableConvertor();
  const responder = new ObjectResponder(tables, clock);
  const discovery = new DiscoveryService(catalog);
  const maxBodyBytes = options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const protobuf: ProtobufDecoder | undefined =
    options.protobuf === false ? undefined : (options.protobuf ?? ((body) => decodeProtobuf(body) as KubeObject));
  const openapi =
    options.openapi === false
      ? undefined
      : (
          options.openapi ??
          ((c: ResourceCatalog) =>
            new OpenAPIService({ catalog: c, clock, ...(options.version ? { version: `v1.32.0+converge.${options.version}` } : {}) }))
        )(catalog);
  const toDefinitions: DefinitionsFromCRD | false =
    options.definitionsFromCRD ?? ((crd) => coreDefinitionsFromCRD(crd as CustomResourceDefinition));
  const crds = toDefinitions ? new CrdRegistrar({ store, catalog, definitionsFromCRD: toDefinitions, clock, logger }) : undefined;
  const resources = new ResourceHandler({
    store,
    admission,
    responder,
    clock,
    maxBodyBytes,
    ...(protobuf ? { protobuf } : {}),
    ...(crds ? { hooks: crds } : {}),
  });
  const watches = new WatchHandler({
    store,
    responder,
    tables,
    clock,
    ...(options.minWatchTimeoutSeconds !== undefined ? { minTimeoutSeconds: options.minWatchTimeoutSeconds } : {}),
    onStart: (ctx) =>
      metrics.startLongRunning({
        verb: 'WATCH',
        group: ctx.info.group,
        version: ctx.info.version,
        resource: ctx.info.resource,
        subresource: '',
        scope: ctx.info.namespace ? 'namespace' : 'cluster',
        component: 'apiserver',
      }),
  });
  const reviews = new ReviewHandler({ authenticator, authorizer, tokens: saTokens, store, catalog, clock });
  let ready = false;
  let address = `${host}:${options.port ?? 6443}`;
  const handler = new ApiHandler({
    store,
    catalog,
    clock,
    authenticator,
    authorizer,
    discovery,
    responder,
    resources,
    watches,
    reviews,
    kubelet: options.kubelet ?? new NoKubeletConnector(),
    serviceProxy: new ServiceProxyHandler({ store, catalog }),
    metrics,
    logger,
    accessLog: options.accessLog ?? true,
    version: versionInfo(options.version),
    ...(openapi ? { openapi } : {}),
    maxBodyBytes,
    ...(protobuf ? { protobuf } : {}),
    serverAddress: () => address,
    ready: () => ready,
    ...storageCheckOf(options),
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => void handler.handle(req, res);
  // Request lines and headers up to Go's limit (1 MiB, plus the 4 KiB its reader allows over
  // it), as Kubernetes accepts them, instead of Node's 16 KiB.
  const httpOptions = { maxHeaderSize: MAX_HEADER_BYTES };
  const server: Server = tls
    ? (createHttpsServer(
        {
          ...httpOptions,
          cert: tls.serving.certPem,
          key: tls.serving.keyPem,
          ca: [tls.ca.certPem, ...(auth.clientCAs ?? [])],
          requestCert: true,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        onRequest,
      ) as unknown as Server)
    : createHttpServer(httpOptions, onRequest);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void handler.handleUpgrade(req, socket, head));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket));
  const sockets = new Set<Duplex>();
  server.on(tls ? 'secureConnection' : 'connection', (s: Duplex) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  // Start-up work before listening: system namespaces and priority classes, the CRDs already
  // stored.
  const bootstrap = options.bootstrap !== false;
  let kubernetesService: KubernetesServiceReconciler | undefined;
  const stopBackground = async () => {
    crds?.stop();
    await kubernetesService?.stop();
  };
  if (bootstrap) {
    await ensureSystemNamespaces(store, catalog);
    await ensureSystemPriorityClasses(store, catalog);
  }
  await crds?.start();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 6443, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await stopBackground();
    discovery.close();
    openapi?.close?.();
    throw err;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 6443);
  address = `${host}:${port}`;
  // The `kubernetes` Service needs the port actually listened on.
  if (bootstrap) {
    kubernetesService = new KubernetesServiceReconciler({
      store,
      catalog,
      clock,
      logger,
      address: advertiseAddress,
      port,
      ...(options.peers ? { peers: options.peers } : {}),
      ...(options.apiServerLeaseSeconds !== undefined ? { leaseSeconds: options.apiServerLeaseSeconds } : {}),
    });
    await kubernetesService.start();
  }
  ready = true;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  logger.info({ url }, 'API server listening');
  if (!tls) {
    logger.warn(
      { url, user: UNSECURED_USER.username },
      'serving plain HTTP WITHOUT AUTHENTICATION: every local process that can reach this port acts as a cluster administrator (system:masters)',
    );
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    caCertPem: tls?.ca.certPem,
    adminToken,
    server,
    metrics,
    issueClientCertificate(user: string, groups: string[] = []) {
      if (!tls) throw new Error('client certificates need HTTPS');
      return issueCertificate(tls.ca, { commonName: user, organizations: groups, usage: 'client', now: Date.now() });
    },
    async serviceAccountToken(namespace, name, opts = {}) {
      const def = saDef();
      if (!def) throw new Error('serviceaccounts are not served');
      const sa = await store.get(def, { namespace, name });
      const req: Parameters<ServiceAccountTokens['issue']>[0] = { namespace, name, uid: sa.metadata.uid ?? '' };
      if (opts.audiences) req.audiences = opts.audiences;
      if (opts.expirationSeconds) req.expirationSeconds = opts.expirationSeconds;
      return (await saTokens.issue(req)).token;
    },
    admittedStore({ user }) {
      return new AdmittedStore({ store, catalog, admission, user, ...(crds ? { hooks: crds } : {}) });
    },
    stop() {
      ready = false;
      stopped ??= new Promise<void>((resolve) => {
        const background = stopBackground().catch(() => undefined);
        discovery.close();
        openapi?.close?.();
        server.close(() => void background.then(() => resolve()));
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
      });
      return stopped;
    },
  };
}

/** The storage health check of the API server: the given one, else the Registry's backend check. */
function storageCheckOf(options: ApiServerOptions): { storageCheck?: { name: string; check: () => Promise<void> } } {
  if (options.storageCheck) return { storageCheck: options.storageCheck };
  const store = options.store;
  if (!(store instanceof Registry)) return {};
  return {
    storageCheck: { name: store.backend.kind === 'etcd' ? 'etcd' : `storage-${store.backend.kind}`, check: () => store.checkBackend() },
  };
}
