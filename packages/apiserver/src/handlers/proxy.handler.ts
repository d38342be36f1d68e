/**
 * The `proxy` subresources: `services/<id>/proxy/<path>`, `pods/<id>/proxy/<path>` and
 * `nodes/<id>/proxy/<path>`, where `<id>` is `name`, `name:port` or `scheme:name:port`.
 *
 * A service proxy picks a ready address of the service's Endpoints whose port matches the
 * service port asked for (by name, or by number through the Service's ports; the only port when
 * none is named) and forwards the request there over HTTP (or HTTPS, unverified, for
 * `https:name:port`), streaming both ways. With no such address the answer is Kubernetes' 503
 * `no endpoints available for service "<name>"` (also when the service has no Endpoints object
 * at all, where Kubernetes would answer that the Endpoints are not found: nothing in this cluster
 * makes Endpoints yet but the endpoints controller to come). An unreachable backend is a 503
 * `error trying to reach service: ...`.
 *
 * Pod and node proxies go to the kubelet plug point (see `kubelet-connector.ts`).
 *
 * The caller's credentials (`Authorization`, `Impersonate-*`) and hop-by-hop headers are not
 * forwarded. Not modelled: upgrades (WebSocket) through a service proxy, and rewriting links in
 * proxied HTML.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { badRequest, isNotFound, StatusError, type KubeObject, type ObjectStore, type ResourceDefinition } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { ProxyTarget } from '../kubelet/kubelet-connector.js';
import type { RequestContext } from './request-context.js';

/** A parsed `<id>` of a proxy path. */
export interface ProxyId {
  scheme?: string;
  name: string;
  port?: string;
}

/** Splits `name`, `name:port` or `scheme:name:port` (scheme `http` or `https`); undefined when malformed. */
export function parseProxyId(id: string): ProxyId | undefined {
  const parts = id.split(':');
  let out: ProxyId | undefined;
  if (parts.length === 1) out = { name: parts[0]! };
  else if (parts.length === 2) out = { name: parts[0]!, port: parts[1]! };
  else if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https' || parts[0] === ''))
    out = { name: parts[1]!, port: parts[2]!, ...(parts[0] ? { scheme: parts[0] } : {}) };
  if (!out || out.name === '') return undefined;
  if (out.port === '') delete out.port;
  return out;
}

/**
 * The id and the proxied path of a proxy request, the path taken from the raw URL (so escapes
 * survive) after `/proxy`; `/` when there is none. Throws a 400 for a malformed id.
 */
export function proxyRequestOf(ctx: RequestContext, kind: string): { id: ProxyId; target: ProxyTarget } {
  const id = parseProxyId(ctx.info.name);
  if (!id) throw badRequest(`invalid ${kind} request ${JSON.stringify(ctx.info.name)}`);
  const raw = ctx.url.pathname.split('/').filter((p) => p !== '');
  const tail = raw.slice(raw.length - ctx.info.parts.length).slice(3);
  let path = `/${tail.join('/')}`;
  if (tail.length > 0 && ctx.url.pathname.endsWith('/')) path += '/';
  const target: ProxyTarget = { path };
  if (id.scheme) target.scheme = id.scheme;
  if (id.port) target.port = id.port;
  return { id, target };
}

interface ServicePort {
  name?: string;
  port?: number;
}

interface EndpointSubset {
  addresses?: { ip?: string }[];
  ports?: { name?: string; port?: number }[];
}

/** The hop-by-hop headers: they describe one connection, so a proxy never passes them on. */
const HOP_BY_HOP_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
/** Request headers never forwarded: hop-by-hop ones and the caller's credentials. */
const DROPPED_REQUEST_HEADERS = new Set([...HOP_BY_HOP_HEADERS, 'host', 'authorization']);
/** Response headers never passed back: hop-by-hop ones. */
const DROPPED_RESPONSE_HEADERS = new Set(HOP_BY_HOP_HEADERS);
/** How long connecting to a backend may take. */
const CONNECT_TIMEOUT_MS = 30_000;

function forwardedHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || drop.has(k) || k.startsWith('impersonate-')) continue;
    out[k] = v;
  }
  return out;
}

function unavailable(message: string): StatusError {
  return new StatusError('ServiceUnavailable', message, { code: 503 });
}

/** Options of the ServiceProxyHandler. */
export interface ServiceProxyOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  /** Picks an index below `n` (default: random), to choose among endpoints. */
  pick?: (n: number) => number;
}

/** Serves `services/<id>/proxy/<path>`. */
export class ServiceProxyHandler {
  private readonly pick: (n: number) => number;

  constructor(private readonly o: ServiceProxyOptions) {
    this.pick = o.pick ?? ((n) => Math.floor(Math.random() * n));
  }

  /** Resolves the backend of a service proxy request and forwards the request to it. */
  async serve(ctx: RequestContext, services: ResourceDefinition): Promise<void> {
    const { id, target } = proxyRequestOf(ctx, 'service');
    const svc = await this.o.store.get(services, { namespace: ctx.info.namespace, name: id.name });
    const backend = await this.resolve(ctx.info.namespace, svc, id);
    await this.forward(ctx, { scheme: id.scheme === 'https' ? 'https' : 'http', host: backend.ip, port: backend.port, path: target.path });
  }

  /** A ready address and port of the service for the port asked for; 503 when there is none. */
  async resolve(namespace: string, svc: KubeObject, id: ProxyId): Promise<{ ip: string; port: number }> {
    const idText = `${id.scheme ? `${id.scheme}:` : ''}${id.name}${id.port ? `:${id.port}` : ''}`;
    let portName = id.port ?? '';
    if (/^\d+$/.test(portName)) {
      const ports = ((svc['spec'] as { ports?: ServicePort[] } | undefined)?.ports ?? []) as ServicePort[];
      const found = ports.find((p) => p.port === Number(portName));
      if (!found) throw unavailable(`no service port ${portName} found for service ${JSON.stringify(id.name)}`);
      portName = found.name ?? '';
    }
    const epDef = this.o.catalog.get({ group: '', version: 'v1', resource: 'endpoints' });
    let subsets: EndpointSubset[] = [];
    if (epDef) {
      try {
        const ep = await this.o.store.get(epDef, { namespace, name: id.name });
        subsets = Array.isArray(ep['subsets']) ? (ep['subsets'] as EndpointSubset[]) : [];
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (subsets.length === 0) throw unavailable(`no endpoints available for service ${JSON.stringify(id.name)}`);
    const start = this.pick(subsets.length);
    for (let i = 0; i < subsets.length; i++) {
      const ss = subsets[(start + i) % subsets.length]!;
      const addresses = (ss.addresses ?? []).filter((a) => typeof a.ip === 'string' && a.ip !== '');
      if (addresses.length === 0) continue;
      const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName);
      if (!port?.port) continue;
      return { ip: addresses[this.pick(addresses.length)]!.ip!, port: port.port };
    }
    throw unavailable(`no endpoints available for service ${JSON.stringify(idText)}`);
  }

  /** Forwards the request to `scheme://host:port/path?query`, streaming both ways. */
  private forward(ctx: RequestContext, to: { scheme: 'http' | 'https'; host: string; port: number; path: string }): Promise<void> {
    const { req, res } = ctx;
    return new Promise<void>((resolve, reject) => {
      const options = {
        method: req.method ?? 'GET',
        host: to.host,
        port: to.port,
        path: `${to.path}${ctx.url.search}`,
        headers: {
          ...forwardedHeaders(req.headers, DROPPED_REQUEST_HEADERS),
          host: to.host.includes(':') ? `[${to.host}]:${to.port}` : `${to.host}:${to.port}`,
        },
      };
      const onResponse = (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, forwardedHeaders(up.headers, DROPPED_RESPONSE_HEADERS));
        up.pipe(res);
        up.on('error', () => res.destroy());
        res.once('close', () => {
          up.destroy();
          resolve();
        });
      };
      const upstream =
        to.scheme === 'https' ? httpsRequest({ ...options, rejectUnauthorized: false }, onResponse) : httpRequest(options, onResponse);
      upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error(`connecting to ${to.host}:${to.port} timed out`)));
      upstream.once('socket', (socket) => socket.once('connect', () => upstream.setTimeout(0)));
      upstream.on('error', (err) => {
        if (!res.headersSent) reject(unavailable(`error trying to reach service: ${err.message}`));
        else res.destroy();
      });
      res.once('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }
}
