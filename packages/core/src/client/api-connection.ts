import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { realClock, sleep, type Clock } from '../util/clock.js';
import { statusErrorFromResponse, transportError } from './http-errors.js';

/** One request to the API server. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path below the server URL, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  /** A query string starting with `?`, or empty. */
  query?: string;
  body?: string | Buffer;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  /** Default `application/json`. */
  accept?: string;
  signal?: AbortSignal;
  /** Fail when the connection is idle this long (ms); default the connection's `idleTimeoutMs`; 0 = never. */
  idleTimeoutMs?: number;
}

/** A complete response. */
export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values, alternating, as received (for repeated headers such as `Warning`). */
  rawHeaders: string[];
  /** The body, decoded as UTF-8 while it arrived (Kubernetes answers JSON). */
  body: string;
}

/** Options of an ApiConnection. */
export interface ApiConnectionOptions {
  /**
   * The kubeconfig (from `@kubernetes/client-node`): its current context's cluster and user
   * give the server, TLS material and credentials (tokens, client certificates, exec and
   * auth-provider plugins, in-cluster service account).
   */
  kubeConfig: KubeConfig;
  /** Credentials are recomputed after this many ms (tokens rotate); default 60,000. */
  credentialsTtlMs?: number;
  /** Time for credential expiry and retry waits; default the wall clock. */
  clock?: Clock;
  /** The User-Agent header; default `converge/0.1`. */
  userAgent?: string;
  /** Requests other than watches fail when their connection is idle this long (ms); default 60,000. */
  idleTimeoutMs?: number;
  /** Retries of a request answered 429 (after its Retry-After, at most 10 s); default 3. */
  maxRetries?: number;
}

interface Credentials {
  headers: Record<string, string>;
  agent: http.Agent;
  fingerprint: string;
}

/**
 * A connection to one Kubernetes API server as a kubeconfig describes it.
 *
 * `@kubernetes/client-node` computes what it is good at (kubeconfig loading, TLS options,
 * bearer tokens, client certificates, exec and auth-provider plugins); the requests
 * themselves are plain `node:http(s)` requests on a keep-alive agent, so bodies can be
 * parsed once and watches streamed line by line, with no typed deserialization.
 *
 * Plain `http://` servers are allowed (client-node itself refuses them unless the cluster
 * sets `insecure-skip-tls-verify`).
 */
export class ApiConnection {
  /** The server URL, e.g. `https://127.0.0.1:6443`. */
  readonly server: string;
  /** The namespace of the kubeconfig's current context, if it names one. */
  readonly contextNamespace: string | undefined;
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly kc: KubeConfig;
  private readonly clock: Clock;
  private readonly options: ApiConnectionOptions;
  private credentials: Promise<Credentials> | undefined;
  private credentialsAt = 0;
  private agent: http.Agent | undefined;
  private agentFingerprint = '';

  /** Makes a connection for the kubeconfig's current context. */
  constructor(options: ApiConnectionOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    const kc = options.kubeConfig;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.url = new URL(cluster.server);
    this.server = cluster.server;
    this.transport = this.url.protocol === 'http:' ? http : https;
    this.contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
    this.kc = this.url.protocol === 'http:' && !cluster.skipTLSVerify ? withSkipTLSVerify(kc, cluster.name) : kc;
  }

  /**
   * The certificate authority (PEM) the kubeconfig's current cluster trusts: its
   * `certificate-authority-data`, or the file `certificate-authority` names; undefined when
   * it names none (plain HTTP, or the system's trust store). kube-controller-manager falls back
   * to it when `--root-ca-file` is not given.
   */
  certificateAuthority(): string | undefined {
    const cluster = this.kc.getCurrentCluster();
    if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
    if (cluster?.caFile) return readFileSync(cluster.caFile, 'utf8');
    return undefined;
  }

  /** Sends a request and reads the whole response; 429s are retried, a 401 once with fresh credentials. */
  async request(req: ApiRequest): Promise<ApiResponse> {
    const maxRetries = this.options.maxRetries ?? 3;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(req, await this.currentCredentials());
      const body = await readBody(res, this.server);
      if (res.statusCode === 401 && !refreshed) {
        refreshed = true;
        this.credentials = undefined;
        continue;
      }
      if (res.statusCode === 429 && attempt < maxRetries) {
        const after = Number(res.headers['retry-after']);
        await sleep(this.clock, Math.min(10, Number.isFinite(after) && after > 0 ? after : 1) * 1000, req.signal);
        continue;
      }
      return { status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body };
    }
  }

  /**
   * Sends a request and returns the response as soon as its headers are in, for streaming
   * (watches). A non-2xx answer is read and thrown as a StatusError.
   */
  async stream(req: ApiRequest): Promise<IncomingMessage> {
    let res = await this.send({ idleTimeoutMs: 0, ...req }, await this.currentCredentials());
    if (res.statusCode === 401) {
      await readBody(res, this.server).catch(() => undefined);
      this.credentials = undefined;
      res = await this.send({ idleTimeoutMs: 0, ...req }, await this.currentCredentials());
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const body = await readBody(res, this.server);
      throw statusErrorFromResponse(status, body, res.headers['retry-after'] as string | undefined);
    }
    return res;
  }

  /** Closes idle keep-alive sockets (open watches end when their subscribers unsubscribe). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private currentCredentials(): Promise<Credentials> {
    const ttl = this.options.credentialsTtlMs ?? 60_000;
    if (!this.credentials || this.clock.now() - this.credentialsAt >= ttl) {
      this.credentialsAt = this.clock.now();
      const next = this.computeCredentials();
      this.credentials = next;
      next.catch(() => {
        if (this.credentials === next) this.credentials = undefined;
      });
    }
    return this.credentials;
  }

  private async computeCredentials(): Promise<Credentials> {
    const opts: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    if (opts.auth && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
      headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    }
    const cluster = this.kc.getCurrentCluster();
    let agent: http.Agent;
    let fingerprint: string;
    if (cluster?.proxyUrl && opts.agent) {
      // client-node built a proxy agent for this cluster; use it as it is.
      agent = opts.agent as http.Agent;
      fingerprint = 'proxy';
    } else {
      const tls: https.AgentOptions = { keepAlive: true };
      for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
        if (opts[k] !== undefined) (tls as Record<string, unknown>)[k] = opts[k];
      }
      fingerprint = JSON.stringify(
        [tls.ca, tls.cert, tls.key, tls.pfx, tls.rejectUnauthorized, tls.servername].map((v) =>
          Buffer.isBuffer(v) ? v.toString('base64') : v,
        ),
      );
      if (!this.agent || fingerprint !== this.agentFingerprint) {
        this.agent = this.transport === https ? new https.Agent(tls) : new http.Agent({ keepAlive: true });
        this.agentFingerprint = fingerprint;
      }
      agent = this.agent;
    }
    return { headers, agent, fingerprint };
  }

  private send(req: ApiRequest, creds: Credentials): Promise<IncomingMessage> {
    const headers: Record<string, string | number> = {
      ...creds.headers,
      Accept: req.accept ?? 'application/json',
      'User-Agent': this.options.userAgent ?? 'converge/0.1',
    };
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(req.body);
    }
    const basePath = this.url.pathname.replace(/\/+$/, '');
    const idle = req.idleTimeoutMs ?? this.options.idleTimeoutMs ?? 60_000;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = this.transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: this.url.port || undefined,
          method: req.method,
          path: `${basePath}${req.path}${req.query ?? ''}`,
          headers,
          agent: creds.agent,
          ...(req.signal ? { signal: req.signal } : {}),
        },
        resolve,
      );
      r.on('error', (err) => reject(transportError(this.server, err)));
      if (idle > 0) r.setTimeout(idle, () => r.destroy(Object.assign(new Error(`connection idle for ${idle} ms`), { code: 'ETIMEDOUT' })));
      r.end(req.body);
    });
  }
}

/**
 * Reads a whole response body as UTF-8 text. Chunks are decoded as they arrive (overlapping
 * the decoding with the transfer) and joined once at the end.
 */
export function readBody(res: IncomingMessage, server: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const parts: string[] = [];
    res.setEncoding('utf8');
    res.on('data', (c: string) => parts.push(c));
    res.on('end', () => resolve(parts.length === 1 ? parts[0]! : parts.join('')));
    res.on('error', (err) => reject(transportError(server, err)));
    res.on('close', () => {
      if (!res.complete)
        reject(
          transportError(server, Object.assign(new Error('connection closed before the response was complete'), { code: 'ECONNRESET' })),
        );
    });
  });
}

/** A copy of a kubeconfig whose named cluster skips TLS verification: client-node then computes credentials for a plain-HTTP server. */
function withSkipTLSVerify(kc: KubeConfig, clusterName: string): KubeConfig {
  const copy = new (kc.constructor as new () => KubeConfig)();
  copy.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === clusterName ? { ...c, skipTLSVerify: true } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return copy;
}
