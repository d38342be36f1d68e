/**
 * The API server's Prometheus metrics, named as Kubernetes names them:
 * `apiserver_request_total` (by verb, group, version, resource, subresource, scope, component,
 * code), `apiserver_request_duration_seconds` (same labels without code) and
 * `apiserver_longrunning_requests` (open watches and streams).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestInfo } from '../http/request-info.js';

/** Kubernetes' buckets for request latency. */
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** The labels of one request. */
export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** The metric verb of a request: upper case, with APPLY, WATCH and LIST told apart as Kubernetes does. */
export function metricVerb(info: RequestInfo, method: string, isApply: boolean): string {
  if (!info.isResourceRequest) return method.toUpperCase();
  if (CONNECT_SUBRESOURCES.has(info.subresource)) return 'CONNECT';
  switch (info.verb) {
    case 'list':
      return 'LIST';
    case 'watch':
      return 'WATCH';
    case 'get':
      return 'GET';
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return isApply ? 'APPLY' : 'PATCH';
    case 'delete':
      return 'DELETE';
    case 'deletecollection':
      return 'DELETECOLLECTION';
    case 'proxy':
      return 'CONNECT';
    default:
      return String(info.verb).toUpperCase();
  }
}

/** Subresources served by connecting through (proxies, streams): Kubernetes counts them as CONNECT. */
const CONNECT_SUBRESOURCES = new Set(['proxy', 'exec', 'attach', 'portforward']);

/** The labels of a request. */
export function requestLabels(info: RequestInfo, verb: string): RequestLabels {
  let scope = '';
  if (info.isResourceRequest) scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
  return {
    verb,
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource,
    scope,
    component: 'apiserver',
  };
}

/** The API server's metrics, registered in one prom-client Registry. */
export class RequestMetrics {
  /** The registry the metrics live in (served at `/metrics`). */
  readonly registry: Registry;
  private readonly total: Counter<string>;
  private readonly duration: Histogram<string>;
  private readonly longRunning: Gauge<string>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const labelNames = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'];
    this.total = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [...labelNames, 'code'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      registers: [registry],
    });
  }

  /** Records one finished request. */
  observe(labels: RequestLabels, code: number, seconds: number): void {
    this.total.inc({ ...labels, code: String(code) });
    this.duration.observe({ ...labels }, seconds);
  }

  /** Counts a long-running request (a watch) while it is open; returns the function that ends it. */
  startLongRunning(labels: RequestLabels): () => void {
    this.longRunning.inc({ ...labels });
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.longRunning.dec({ ...labels });
      }
    };
  }

  /** The metrics in Prometheus' text format. */
  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
