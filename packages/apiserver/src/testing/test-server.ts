/**
 * Test support for the API server's integration tests: a server over a fresh registry on the
 * memory backend (free port on 127.0.0.1, in-memory TLS material), and a small HTTPS client that
 * trusts its CA. Not part of the package's public surface.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createBuiltinCatalog, type ResourceCatalog } from '@converge/core/kinds';
import { MemoryBackend, Registry } from '@converge/store';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../server/api-server.js';
import { Kubectl, type KubectlOptions } from './kubectl.js';

/** A running test server and what it runs on. */
export interface TestServer {
  api: RunningApiServer;
  registry: Registry;
  catalog: ResourceCatalog;
  /**
   * A real `kubectl` bound to this server (admin token unless `options` say otherwise), through
   * its own kubeconfig; `close` disposes of every one made here.
   */
  kubectl(options?: KubectlOptions): Kubectl;
  /** Stops the server, closes the registry and disposes of the kubectls made by `kubectl()`. */
  close(): Promise<void>;
}

/** Starts an API server over a fresh in-memory registry. */
export async function startTestServer(options: Partial<ApiServerOptions> & { historySize?: number } = {}): Promise<TestServer> {
  const catalog = options.catalog ?? createBuiltinCatalog();
  const backend = new MemoryBackend(options.historySize ? { historySize: options.historySize } : {});
  const registry = new Registry({ backend, catalog, ...(options.clock ? { clock: options.clock } : {}) });
  const api = await startApiServer({ port: 0, ...options, store: options.store ?? registry, catalog });
  const kubectls: Kubectl[] = [];
  return {
    api,
    registry,
    catalog,
    kubectl(kubectlOptions) {
      const k = new Kubectl(api, kubectlOptions);
      kubectls.push(k);
      return k;
    },
    async close() {
      for (const k of kubectls.splice(0)) k.dispose();
      await api.stop();
      await registry.close();
    },
  };
}

/** An HTTP answer. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Options of one request. */
export interface TestRequest {
  method?: string;
  path: string;
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  /** A bearer token (default: the admin token); `null` = none. */
  token?: string | null;
  /** A client certificate. */
  cert?: { certPem: string; keyPem: string };
}

/** Sends one request to a test server and reads the whole answer. */
export function call(api: RunningApiServer, r: TestRequest): Promise<TestResponse> {
  const url = new URL(r.path, api.url);
  const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
  const token = r.token === undefined ? api.adminToken : r.token;
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let body: Buffer | undefined;
  if (r.body !== undefined) {
    body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = body.length;
  }
  const https = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const opts = {
      method: r.method ?? 'GET',
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(https ? { ca: api.caCertPem, ...(r.cert ? { cert: r.cert.certPem, key: r.cert.keyPem } : {}) } : {}),
    };
    const req = (https ? httpsRequest : httpRequest)(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** An open watch: the events received so far, and a way to wait for more. */
export interface TestWatch {
  status: number;
  headers: IncomingHttpHeaders;
  events: { type: string; object: Record<string, unknown> }[];
  /** Resolves once `n` events arrived in total (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch (a GET whose answer is a stream of JSON lines). */
export function openWatch(api: RunningApiServer, path: string, headers: Record<string, string> = {}): Promise<TestWatch> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: { Authorization: `Bearer ${api.adminToken}`, ...headers },
        ca: api.caCertPem,
      },
      (res) => {
        const events: TestWatch['events'] = [];
        let buf = '';
        let waiters: { n: number; resolve: () => void }[] = [];
        let endResolve: () => void = () => undefined;
        const ended = new Promise<void>((r) => (endResolve = r));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) events.push(JSON.parse(line));
          }
          waiters = waiters.filter((w) => (events.length >= w.n ? (w.resolve(), false) : true));
        });
        res.on('end', () => endResolve());
        res.on('close', () => endResolve());
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          ended,
          waitFor(n, timeoutMs = 5000) {
            if (events.length >= n) return Promise.resolve();
            return new Promise((res2, rej) => {
              const t = setTimeout(
                () => rej(new Error(`only ${events.length} of ${n} watch events arrived: ${JSON.stringify(events.map((e) => e.type))}`)),
                timeoutMs,
              );
              waiters.push({ n, resolve: () => (clearTimeout(t), res2()) });
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
