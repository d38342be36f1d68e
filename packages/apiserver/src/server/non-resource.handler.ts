/**
 * The non-resource paths of the API server: `/version`, the health checks (`/healthz`,
 * `/livez`, `/readyz`), `/metrics`, the root path list, the discovery documents and the
 * OpenAPI documents (through the OpenAPI plug point).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { DiscoveryService } from '../discovery/discovery-service.js';
import { negotiate } from '../http/media-types.js';
import { writeObject } from '../http/response-writer.js';
import type { RequestContext } from '../handlers/request-context.js';
import { verbNotAllowed } from '../handlers/resource.handler.js';
import type { RequestMetrics } from '../observability/request-metrics.js';
import { resourceNotFound } from './resource-not-found.js';
import type { VersionInfo } from './version-info.js';

/** Serves the OpenAPI documents (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/apis/<g>/<v>`). */
export interface OpenAPIHandler {
  /** Answers the request; returns false when the path is not an OpenAPI path it serves. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> | boolean;
}

/** What the non-resource handler needs: the parts of the API handler's options it serves from. */
export interface NonResourceHandlerOptions {
  catalog: ResourceCatalog;
  discovery: DiscoveryService;
  metrics: RequestMetrics;
  version: VersionInfo;
  openapi?: OpenAPIHandler;
  /** `host:port` advertised in `/api`'s serverAddressByClientCIDRs. */
  serverAddress: () => string;
  /** Whether start-up (bootstrap, CRDs) has finished: `/readyz` says so. */
  ready: () => boolean;
  /** The health check of the storage under the store (see `ApiHandlerOptions.storageCheck`). */
  storageCheck?: { name: string; check: () => Promise<void> };
}

const STORAGE_CHECK_TIMEOUT_MS = 2000;

/** A discovery document as the discovery service renders it: its body and its ETag. */
type Doc = { body: string; etag: string };

/** Serves the paths that name no resource (version, health, metrics, discovery, OpenAPI). */
export class NonResourceHandler {
  constructor(private readonly o: NonResourceHandlerOptions) {}

  /** Answers one authorized non-resource request; throws a StatusError for a path it does not serve. */
  async serve(ctx: RequestContext): Promise<void> {
    const { res, url, req } = ctx;
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/openapi/') && this.o.openapi) {
      if (await this.o.openapi.handle(req, res, url)) return;
      throw resourceNotFound();
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

  private discoveryDoc(ctx: RequestContext, doc: Doc | undefined): void {
    if (!doc) throw resourceNotFound();
    negotiate(ctx.req.headers.accept, {});
    this.sendDoc(ctx, doc, 'application/json');
  }

  private sendDoc(ctx: RequestContext, doc: Doc, contentType: string): void {
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
}
