import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { silentLogger, type Logger } from '../logging/logger.js';

/** A named health or readiness check: it passes by returning, fails by throwing. */
export type HealthCheck = () => void | Promise<void>;

/** Options of a HealthServer. */
export interface HealthServerOptions {
  /** The address to bind; default 127.0.0.1. */
  host?: string;
  /** The port; 0 picks a free one. */
  port: number;
  /** Liveness checks, served on `/healthz`. */
  healthz: ReadonlyMap<string, HealthCheck>;
  /** Readiness checks, served on `/readyz`. */
  readyz: ReadonlyMap<string, HealthCheck>;
  /** The registry served on `/metrics`; none = 404. */
  registry?: Registry;
  logger?: Logger;
}

/**
 * Serves `/healthz`, `/readyz` and `/metrics` over HTTP, in the format of Kubernetes'
 * health endpoints: `ok` with 200 when every check passes; otherwise 500 and one line per
 * check (`[+]ping ok`, `[-]leader-election failed: reason withheld`). `?verbose` lists
 * the checks on success too, `?exclude=name` skips one, and `/healthz/<name>` runs one.
 */
export class HealthServer {
  private server: Server | undefined;
  private readonly log: Logger;

  /** Makes a stopped server. */
  constructor(private readonly options: HealthServerOptions) {
    this.log = (options.logger ?? silentLogger()).child({ component: 'health-server' });
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<AddressInfo> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log.error({ err }, 'health server request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal server error\n');
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        const addr = server.address() as AddressInfo;
        this.log.info({ address: `${addr.address}:${addr.port}` }, 'serving health probes and metrics');
        resolve(addr);
      });
    });
  }

  /** The bound address while listening. */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  /** Stops listening and closes open connections. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
      res.end('method not allowed\n');
      return;
    }
    if (path === '/metrics' && this.options.registry) {
      const body = await this.options.registry.metrics();
      res.writeHead(200, { 'content-type': this.options.registry.contentType });
      res.end(body);
      return;
    }
    for (const [prefix, checks] of [
      ['/healthz', this.options.healthz],
      ['/readyz', this.options.readyz],
    ] as const) {
      if (path === prefix) return this.runAll(prefix.slice(1), checks, url, res);
      if (path.startsWith(`${prefix}/`)) return this.runOne(checks.get(path.slice(prefix.length + 1)), res);
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  }

  private async runAll(kind: string, checks: ReadonlyMap<string, HealthCheck>, url: URL, res: ServerResponse): Promise<void> {
    const excluded = new Set(url.searchParams.getAll('exclude'));
    const verbose = url.searchParams.has('verbose');
    const lines: string[] = [];
    let failed = false;
    for (const [name, check] of checks) {
      if (excluded.has(name)) {
        lines.push(`[+]${name} excluded: ok`);
        continue;
      }
      try {
        await check();
        lines.push(`[+]${name} ok`);
      } catch (err) {
        failed = true;
        lines.push(`[-]${name} failed: reason withheld`);
        this.log.info({ check: name, err }, `${kind} check failed`);
      }
    }
    res.writeHead(failed ? 500 : 200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    if (failed) res.end(`${lines.join('\n')}\n${kind} check failed\n`);
    else if (verbose) res.end(`${lines.join('\n')}\n${kind} check passed\n`);
    else res.end('ok');
  }

  private async runOne(check: HealthCheck | undefined, res: ServerResponse): Promise<void> {
    if (!check) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    try {
      await check();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal server error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
