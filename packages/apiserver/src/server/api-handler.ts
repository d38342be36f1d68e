/**
 * The request pipeline of the API server, in the order Kubernetes' handler chain runs it:
 *
 * 1. parse the path into a RequestInfo;
 * 2. authenticate (client certificate, bearer token; anonymous only for public paths), then
 *    act as the impersonated user when the request asks for one and may (`Impersonate-*` headers);
 * 3. authorize through the authorizer plug point;
 * 4. route: non-resource paths (version, health, metrics, discovery, OpenAPI), then the
 *    resource verbs, watches, reviews, token requests, kubelet subresources and proxies;
 * 5. answer every failure as a `metav1.Status`;
 * 6. count the request (Prometheus) and write one access-log line when it is done.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  forbidden,
  StatusError,
  type Clock,
  type KubeObject,
  type ObjectStore,
  type ResourceDefinition,
  type Logger,
} from '@converge/core';
import type { AccessLogEntry } from '../observability/access-log.js';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Authorizer } from '../auth/authorizer.js';
import { actingUser } from '../auth/impersonation.js';
import { unauthorized, type RequestAuthenticator } from '../auth/request-authenticator.js';
import { REVIEW_KINDS, type ReviewHandler } from '../auth/review.handler.js';
import { ANONYMOUS_USER } from '../auth/user-info.js';
import type { DiscoveryService } from '../discovery/discovery-service.js';
import { hasSubresource } from '../discovery/subresources.js';
import type { ProtobufDecoder } from '../http/body-decoder.js';
import { negotiate } from '../http/media-types.js';
import { writeOptionsOf } from '../http/query-options.js';
import { parseRequestInfo } from '../http/request-info.js';
import { serialize, toStatusError, writeObject, writeStatus } from '../http/response-writer.js';
import { prettyOf, type ObjectResponder } from '../handlers/object-responder.js';
import type { RequestContext } from '../handlers/request-context.js';
import { subresourceNotFound, verbNotAllowed, type ResourceHandler } from '../handlers/resource.handler.js';
import type { WatchHandler } from '../handlers/watch.handler.js';
import { readObjectBody } from '../handlers/write-body.js';
import { KUBELET_SUBRESOURCES, noKubeletForNode, type KubeletConnector } from '../kubelet/kubelet-connector.js';
import { proxyRequestOf, type ServiceProxyHandler } from '../handlers/proxy.handler.js';
import { kindRoutingOf, servedSubresourceOf } from '@converge/store';
import { metricVerb, requestLabels, type RequestMetrics } from '../observability/request-metrics.js';
import type { VersionInfo } from './version-info.js';

/** Paths anyone may read without credentials (Kubernetes' system:public-info-viewer). */
export const PUBLIC_PATHS: readonly string[] = ['/version', '/version/', '/healthz', '/livez', '/readyz'];

/** Serves the OpenAPI documents (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/apis/<g>/<v>`). */
export interface OpenAPIHandler {
  /** Answers the request; returns false when the path is not an OpenAPI path it serves. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> | boolean;
}

/** Everything the pipeline needs. */
export interface ApiHandlerOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  discovery: DiscoveryService;
  responder: ObjectResponder;
  resources: ResourceHandler;
  watches: WatchHandler;
  reviews: ReviewHandler;
  kubelet: KubeletConnector;
  /** Serves `services/<id>/proxy`. */
  serviceProxy: ServiceProxyHandler;
  metrics: RequestMetrics;
  logger: Logger;
  accessLog: boolean;
  version: VersionInfo;
  openapi?: OpenAPIHandler;
  maxBodyBytes: number;
  protobuf?: ProtobufDecoder;
  /** `host:port` advertised in `/api`'s serverAddressByClientCIDRs. */
  serverAddress: () => string;
  /** Whether start-up (bootstrap, CRDs) has finished: `/readyz` says so. */
  ready: () => boolean;
  /**
   * The health check of the storage under the store, named as Kubernetes names it (`etcd`):
   * `/healthz`, `/livez` and `/readyz` fail, with the check's error as the reason, while it
   * rejects or does not answer within 2 s. Without one, no storage check is listed.
   */
  storageCheck?: { name: string; check: () => Promise<void> };
}

const STORAGE_CHECK_TIMEOUT_MS = 2000;

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.includes(path) || path.startsWith('/livez/') || path.startsWith('/readyz/') || path.startsWith('/healthz/');
}

function resourceNotFound(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', { details: {} });
}

/** The API server's request handler. */
export class ApiHandler {
  constructor(private readonly o: ApiHandlerOptions) {}

  /** Handles one HTTP request (never rejects). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = this.o.clock.now();
    const startHr = process.hrtime.bigint();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://apiserver.invalid');
    } catch {
      url = new URL('https://apiserver.invalid/');
    }
    const info = parseRequestInfo(req.method ?? 'GET', url);
    const ctx: RequestContext = { req, res, url, info, user: ANONYMOUS_USER, start, warnings: [] };
    res.once('close', () => this.record(ctx, startHr));
    try {
      ctx.user = await this.o.authenticator.authenticate(req);
      if (ctx.user === ANONYMOUS_USER && !isPublic(url.pathname)) throw unauthorized();
      const acting = await actingUser(req, ctx.user, this.o.authorizer);
      if (acting.impersonator) {
        ctx.impersonator = acting.impersonator;
        ctx.user = acting.user;
      }
      await this.authorize(ctx);
      if (!info.isResourceRequest) await this.nonResource(ctx);
      else await this.resource(ctx);
    } catch (err) {
      this.fail(ctx, err);
    }
  }

  /** Handles an upgrade request (exec, attach, port-forward); never rejects. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://apiserver.invalid');
    const info = parseRequestInfo(req.method ?? 'GET', url);
    try {
      const requester = await this.o.authenticator.authenticate(req);
      if (requester === ANONYMOUS_USER) throw unauthorized();
      const { user } = await actingUser(req, requester, this.o.authorizer);
      const ctx = { req, url, info, user } as RequestContext;
      await this.authorize(ctx);
      if (
        !info.isResourceRequest ||
        servedSubresourceOf(info, info.subresource) !== 'kubelet' ||
        !KUBELET_SUBRESOURCES.includes(info.subresource)
      )
        throw resourceNotFound();
      const def = this.o.catalog.get({ group: info.group, version: info.version, resource: info.resource });
      if (!def) throw resourceNotFound();
      const proxy = info.subresource === 'proxy' ? proxyRequestOf(ctx, 'pod') : undefined;
      const name = proxy?.id.name ?? info.name;
      const pod = await this.o.store.get(def, { namespace: info.namespace, name });
      await this.o.kubelet.connect({
        subresource: info.subresource,
        pod,
        nodeName: nodeNameOf(pod, name),
        query: url.searchParams,
        req,
        upgrade: { socket, head },
        ...(proxy ? { proxy: proxy.target } : {}),
      });
    } catch (err) {
      const status = toStatusError(err).toStatus();
      const body = serialize(status, 'json');
      if (!socket.destroyed) {
        socket.end(
          `HTTP/1.1 ${status.code} ${httpReason(status.code ?? 500)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
    }
  }

  private async authorize(ctx: RequestContext): Promise<void> {
    const { info, user } = ctx;
    if (user === ANONYMOUS_USER && isPublic(ctx.url.pathname) && !ctx.impersonator) return;
    const d = await this.o.authorizer.authorize(
      info.isResourceRequest
        ? {
            user,
            verb: String(info.verb),
            resourceRequest: true,
            ...(info.namespace ? { namespace: info.namespace } : {}),
            apiGroup: info.group,
            apiVersion: info.version,
            resource: info.resource,
            ...(info.subresource ? { subresource: info.subresource } : {}),
            ...(info.name ? { name: info.name } : {}),
          }
        : { user, verb: String(info.verb), resourceRequest: false, path: ctx.url.pathname },
    );
    if (d.decision === 'allow') return;
    const why = d.reason ? `: ${d.reason}` : '';
    if (info.isResourceRequest) {
      const scope = info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope';
      const resource = `${info.resource}${info.subresource ? `/${info.subresource}` : ''}`;
      const qualified = info.group ? { group: info.group, resource: info.resource } : { resource: info.resource };
      throw forbidden(
        qualified,
        info.name,
        `User "${user.username}" cannot ${info.verb} resource "${resource}" in API group "${info.group}"${scope}${why}`,
      );
    }
    throw new StatusError('Forbidden', `forbidden: User "${user.username}" cannot ${info.verb} path "${ctx.url.pathname}"${why}`);
  }

  private async nonResource(ctx: RequestContext): Promise<void> {
    const { res, url, req } = ctx;
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/openapi/') && this.o.openapi) {
      if (await this.o.openapi.handle(req, res, url)) return;
      throw new StatusError('NotFound', `the server could not find the requested resource`, { details: {} });
    }
    if (method !== 'GET' && method !== 'HEAD') {
      if (path === '/api' || path.startsWith('/apis') || path.startsWith('/api/')) throw verbNotAllowed();
      throw resourceNotFound();
    }
    if (path === '/version') return writeObject(res, 200, this.o.version);
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || /^\/(healthz|livez|readyz)\//.test(path))
      return this.health(ctx, path);
    if (path === '/metrics') {
      const m = await this.o.metrics.text();
      res.statusCode = 200;
      res.setHeader('Content-Type', m.contentType);
      res.end(m.body);
      return;
    }
    if (path === '/') return writeObject(res, 200, { paths: this.rootPaths() });
    if (path === '/api' || path === '/apis') return this.discoveryRoot(ctx, path === '/api' ? 'api' : 'apis');
    const parts = path.split('/').filter((p) => p);
    if (parts[0] === 'api' && parts.length === 2) return this.discoveryDoc(ctx, this.o.discovery.resourceList('', parts[1]!));
    if (parts[0] === 'apis' && parts.length === 2) return this.discoveryDoc(ctx, this.o.discovery.legacyGroup(parts[1]!));
    if (parts[0] === 'apis' && parts.length === 3) return this.discoveryDoc(ctx, this.o.discovery.resourceList(parts[1]!, parts[2]!));
    throw resourceNotFound();
  }

  private async health(ctx: RequestContext, path: string): Promise<void> {
    const started = path.startsWith('/readyz') ? this.o.ready() : true;
    const verbose = ctx.url.searchParams.has('verbose');
    const name = path.slice(1).split('/')[0]!;
    // Each check: its name and, when it failed, why.
    const checks: { name: string; failure?: string }[] = [{ name: 'ping' }, { name: 'log' }];
    if (this.o.storageCheck) checks.push({ name: this.o.storageCheck.name, ...(await this.checkStorage(this.o.storageCheck.check)) });
    if (name === 'readyz') checks.push({ name: 'poststarthook/bootstrap', ...(started ? {} : { failure: 'not finished' }) });
    const ok = checks.every((c) => c.failure === undefined);
    ctx.res.statusCode = ok ? 200 : 500;
    ctx.res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
    if (ok && !verbose) {
      ctx.res.end('ok');
      return;
    }
    // As Kubernetes: a failing check's reason is shown only to a verbose request.
    const lines = checks.map((c) =>
      c.failure === undefined ? `[+]${c.name} ok` : `[-]${c.name} failed: ${verbose ? c.failure : 'reason withheld'}`,
    );
    lines.push(ok ? `${name} check passed` : `${name} check failed`);
    ctx.res.end(`${lines.join('\n')}\n`);
  }

  /** Runs the storage check with a deadline; answers the failure, if any. */
  private async checkStorage(check: () => Promise<void>): Promise<{ failure?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${STORAGE_CHECK_TIMEOUT_MS} ms`)), STORAGE_CHECK_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([check(), deadline]);
      return {};
    } catch (err) {
      return { failure: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  private rootPaths(): string[] {
    const paths = new Set<string>([
      '/api',
      '/api/v1',
      '/apis',
      '/healthz',
      '/livez',
      '/readyz',
      '/metrics',
      '/version',
      '/openapi/v2',
      '/openapi/v3',
    ]);
    for (const d of this.o.catalog.all()) {
      if (d.group) {
        paths.add(`/apis/${d.group}`);
        paths.add(`/apis/${d.group}/${d.version}`);
      }
    }
    return [...paths].sort();
  }

  private discoveryRoot(ctx: RequestContext, which: 'api' | 'apis'): void {
    const target = negotiate(ctx.req.headers.accept, { discovery: true });
    const doc =
      target.kind === 'discovery'
        ? this.o.discovery.aggregated(which, target.version)
        : which === 'api'
          ? this.o.discovery.legacyCoreVersions(this.o.serverAddress())
          : this.o.discovery.legacyGroupList();
    const contentType =
      target.kind === 'discovery'
        ? `application/json;g=apidiscovery.k8s.io;v=${target.version};as=APIGroupDiscoveryList`
        : 'application/json';
    this.sendDoc(ctx, doc, contentType);
  }

  private discoveryDoc(ctx: RequestContext, doc: { body: string; etag: string } | undefined): void {
    if (!doc) throw resourceNotFound();
    negotiate(ctx.req.headers.accept, {});
    this.sendDoc(ctx, doc, 'application/json');
  }

  private sendDoc(ctx: RequestContext, doc: { body: string; etag: string }, contentType: string): void {
    const { req, res } = ctx;
    res.setHeader('ETag', doc.etag);
    res.setHeader('Vary', 'Accept');
    if (req.headers['if-none-match'] === doc.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', Buffer.byteLength(doc.body));
    res.end(doc.body);
  }

  private async resource(ctx: RequestContext): Promise<void> {
    const { info } = ctx;
    const def = this.o.catalog.get({ group: info.group, version: info.version, resource: info.resource });
    if (!def || !info.resource) throw resourceNotFound();
    ctx.definition = def;
    if (def.namespaced) {
      if (!info.namespace && info.name) throw resourceNotFound();
    } else if (info.namespace && !kindRoutingOf(def).addressedAsNamespace) {
      throw resourceNotFound();
    }
    if (def.virtual) return this.virtual(ctx, def);
    const sub = info.subresource;
    if (sub && info.parts.length > 3 && sub !== 'proxy') throw resourceNotFound();
    if (sub) {
      if (!hasSubresource(def, sub)) throw subresourceNotFound(def, sub);
      // Subresources the API server serves itself, as the store's kinds table declares them.
      switch (servedSubresourceOf(def, sub)) {
        case 'service-proxy':
          return this.o.serviceProxy.serve(ctx, def);
        case 'node-proxy':
          return this.nodeProxy(ctx, def);
        case 'kubelet':
          if (KUBELET_SUBRESOURCES.includes(sub)) return this.kubeletSubresource(ctx, def);
          break;
        case 'token-request':
          return this.tokenRequest(ctx);
      }
    }
    switch (info.verb) {
      case 'get':
        return this.o.resources.get(ctx, def);
      case 'list':
        return this.o.resources.list(ctx, def);
      case 'watch':
        return this.o.watches.serve(ctx, def);
      case 'create':
        if (info.name && !sub) throw verbNotAllowed();
        return this.o.resources.create(ctx, def);
      case 'update':
        if (!info.name) throw verbNotAllowed();
        return this.o.resources.update(ctx, def);
      case 'patch':
        if (!info.name) throw verbNotAllowed();
        return this.o.resources.patch(ctx, def);
      case 'delete':
        return this.o.resources.delete(ctx, def);
      case 'deletecollection':
        return this.o.resources.deleteCollection(ctx, def);
      default:
        throw verbNotAllowed();
    }
  }

  /**
   * Create-only kinds: reviews, and those the store's kinds table creates as a subresource of
   * another kind (`bindings`, which bind a pod).
   */
  private async virtual(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    if (ctx.info.verb !== 'create' || ctx.info.name) throw verbNotAllowed();
    const createAs = kindRoutingOf(def).createAs;
    if (createAs) {
      const parent = this.o.catalog.get({ group: def.group, version: def.version, resource: createAs.resource });
      if (!parent) throw resourceNotFound();
      const target = this.o.responder.target(ctx, { convertible: false });
      const options = writeOptionsOf(ctx.url.searchParams);
      const body = await readObjectBody(ctx, {
        limit: this.o.maxBodyBytes,
        ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}),
        findDuplicates: false,
      });
      const obj = body.obj as KubeObject;
      obj.metadata ??= {};
      obj.metadata.namespace ??= ctx.info.namespace;
      await this.o.store.create(parent, obj, { ...options, subresource: createAs.subresource, name: obj.metadata.name ?? '' });
      this.o.responder.object(
        ctx,
        201,
        { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
        target,
        undefined,
      );
      return;
    }
    if (!REVIEW_KINDS.has(`${def.group}/${def.kind}`)) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    writeOptionsOf(ctx.url.searchParams);
    const body = await readObjectBody(ctx, {
      limit: this.o.maxBodyBytes,
      ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}),
      findDuplicates: false,
    });
    const kind = body.obj['kind'];
    if (kind !== undefined && kind !== def.kind)
      throw new StatusError('BadRequest', `the kind in the data (${String(kind)}) does not match the expected kind (${def.kind})`);
    const answer = await this.o.reviews.review(def.group, def.version, def.kind, body.obj, ctx.user, ctx.info.namespace || undefined);
    this.o.responder.object(ctx, 201, answer, target, undefined);
  }

  private async tokenRequest(ctx: RequestContext): Promise<void> {
    if (ctx.info.verb !== 'create') throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    const options = writeOptionsOf(ctx.url.searchParams);
    const body = await readObjectBody(ctx, {
      limit: this.o.maxBodyBytes,
      ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}),
      findDuplicates: false,
    });
    const answer = await this.o.reviews.tokenRequest(ctx.info.namespace, ctx.info.name, body.obj, options.dryRun ?? false);
    this.o.responder.object(ctx, 201, answer, target, undefined);
  }

  private async kubeletSubresource(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const proxy = ctx.info.subresource === 'proxy' ? proxyRequestOf(ctx, 'pod') : undefined;
    const name = proxy?.id.name ?? ctx.info.name;
    const pod = await this.o.store.get(def, { namespace: ctx.info.namespace, name });
    const nodeName = nodeNameOf(pod, name);
    await this.o.kubelet.connect({
      subresource: ctx.info.subresource,
      pod,
      nodeName,
      query: ctx.url.searchParams,
      req: ctx.req,
      res: ctx.res,
      ...(proxy ? { proxy: proxy.target } : {}),
    });
  }

  /** `nodes/<id>/proxy/<path>`: handed to the kubelet plug point (a 503 without a kubelet). */
  private async nodeProxy(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const { id, target } = proxyRequestOf(ctx, 'node');
    const node = await this.o.store.get(def, { name: id.name });
    if (!this.o.kubelet.connectNode) throw noKubeletForNode(id.name);
    await this.o.kubelet.connectNode({ node, proxy: target, query: ctx.url.searchParams, req: ctx.req, res: ctx.res });
  }

  private fail(ctx: RequestContext, err: unknown): void {
    const e = toStatusError(err);
    if (e.code >= 500)
      this.o.logger.error({ err: e.message, uri: ctx.req.url, stack: err instanceof Error ? err.stack : undefined }, 'request failed');
    if (ctx.res.headersSent) {
      ctx.res.destroy();
      return;
    }
    // Drain what is left of a body we refused, so the client reads the answer.
    if (!ctx.req.complete) ctx.req.resume();
    let format: 'json' | 'yaml' = 'json';
    try {
      const t = negotiate(ctx.req.headers.accept, {});
      if (t.kind === 'object') format = t.format;
    } catch {
      format = 'json';
    }
    writeStatus(ctx.res, e, format, { pretty: prettyOf(ctx) });
  }

  private record(ctx: RequestContext, startHr: bigint): void {
    const seconds = Number(process.hrtime.bigint() - startHr) / 1e9;
    const code = ctx.res.statusCode;
    const verb = metricVerb(ctx.info, ctx.req.method ?? 'GET', ctx.isApply === true);
    const labels = requestLabels(ctx.info, verb);
    this.o.metrics.observe(labels, code, seconds);
    if (this.o.accessLog) {
      this.o.logger.info(
        {
          verb,
          method: ctx.req.method ?? 'GET',
          uri: ctx.req.url ?? '/',
          ...(ctx.info.resource ? { resource: ctx.info.resource } : {}),
          ...(ctx.info.subresource ? { subresource: ctx.info.subresource } : {}),
          ...(ctx.info.namespace ? { namespace: ctx.info.namespace } : {}),
          ...(ctx.info.name ? { name: ctx.info.name } : {}),
          user: (ctx.impersonator ?? ctx.user).username,
          ...(ctx.impersonator ? { impersonatedUser: ctx.user.username } : {}),
          ...(ctx.req.headers['user-agent'] ? { userAgent: ctx.req.headers['user-agent'] } : {}),
          sourceIP: ctx.req.socket.remoteAddress ?? '',
          code,
          latencyMs: Math.round(seconds * 1e6) / 1e3,
        } satisfies AccessLogEntry,
        'request',
      );
    }
  }
}

function nodeNameOf(pod: KubeObject, name: string): string {
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw new StatusError('BadRequest', `pod ${name} does not have a host assigned`);
  return nodeName;
}

function httpReason(code: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return reasons[code] ?? 'Error';
}
