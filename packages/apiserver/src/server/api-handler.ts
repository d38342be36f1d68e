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
import { forbidden, StatusError, type Clock, type ObjectStore, type Logger } from '@converge/core';
import type { AccessLogEntry } from '../observability/access-log.js';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Authorizer } from '../auth/authorizer.js';
import { actingUser } from '../auth/impersonation.js';
import { unauthorized, type RequestAuthenticator } from '../auth/request-authenticator.js';
import type { ReviewHandler } from '../auth/review.handler.js';
import { ANONYMOUS_USER } from '../auth/user-info.js';
import type { DiscoveryService } from '../discovery/discovery-service.js';
import { hasSubresource } from '../discovery/subresources.js';
import type { ProtobufDecoder } from '../http/body-decoder.js';
import { negotiate } from '../http/media-types.js';
import { parseRequestInfo } from '../http/request-info.js';
import { toStatusError, writeStatus } from '../http/response-writer.js';
import { prettyOf, type ObjectResponder } from '../handlers/object-responder.js';
import type { RequestContext } from '../handlers/request-context.js';
import { subresourceNotFound, verbNotAllowed, type ResourceHandler } from '../handlers/resource.handler.js';
import type { WatchHandler } from '../handlers/watch.handler.js';
import { KUBELET_SUBRESOURCES, type KubeletConnector } from '../kubelet/kubelet-connector.js';
import type { ServiceProxyHandler } from '../handlers/proxy.handler.js';
import { kindRoutingOf, servedSubresourceOf } from '@converge/store';
import { metricVerb, requestLabels, type RequestMetrics } from '../observability/request-metrics.js';
import { CreateOnlyHandler } from './create-only.handler.js';
import { KubeletSubresourceHandler, refuseUpgrade } from './kubelet-subresource.handler.js';
import { NonResourceHandler, type OpenAPIHandler } from './non-resource.handler.js';
import { resourceNotFound } from './resource-not-found.js';
import type { VersionInfo } from './version-info.js';

export type { OpenAPIHandler } from './non-resource.handler.js';

/** Paths anyone may read without credentials (Kubernetes' system:public-info-viewer). */
export const PUBLIC_PATHS: readonly string[] = ['/version', '/version/', '/healthz', '/livez', '/readyz'];

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

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.includes(path) || path.startsWith('/livez/') || path.startsWith('/readyz/') || path.startsWith('/healthz/');
}

/** The API server's request handler. */
export class ApiHandler {
  private readonly nonResources: NonResourceHandler;
  private readonly createOnly: CreateOnlyHandler;
  private readonly kubeletSubresources: KubeletSubresourceHandler;

  constructor(private readonly o: ApiHandlerOptions) {
    this.nonResources = new NonResourceHandler(o);
    this.createOnly = new CreateOnlyHandler(o);
    this.kubeletSubresources = new KubeletSubresourceHandler(o);
  }

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
      if (!info.isResourceRequest) await this.nonResources.serve(ctx);
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
      await this.kubeletSubresources.upgrade(ctx, socket, head);
    } catch (err) {
      refuseUpgrade(socket, err);
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
    if (def.virtual) return this.createOnly.virtual(ctx, def);
    const sub = info.subresource;
    if (sub && info.parts.length > 3 && sub !== 'proxy') throw resourceNotFound();
    if (sub) {
      if (!hasSubresource(def, sub)) throw subresourceNotFound(def, sub);
      // Subresources the API server serves itself, as the store's kinds table declares them.
      switch (servedSubresourceOf(def, sub)) {
        case 'service-proxy':
          return this.o.serviceProxy.serve(ctx, def);
        case 'node-proxy':
          return this.kubeletSubresources.nodeProxy(ctx, def);
        case 'kubelet':
          if (KUBELET_SUBRESOURCES.includes(sub)) return this.kubeletSubresources.pod(ctx, def);
          break;
        case 'token-request':
          return this.createOnly.tokenRequest(ctx);
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
