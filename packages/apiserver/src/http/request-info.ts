/**
 * Parses a request path into what it addresses, the way Kubernetes' RequestInfoFactory does:
 *
 * ```
 * /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 * /apis/{group}/{version}/{resource}/{name}
 * /apis/{group}/{version}/watch/namespaces/{ns}/{resource}   (legacy watch paths)
 * ```
 *
 * Anything else (`/version`, `/healthz`, `/openapi/v3`, `/api`, `/apis/apps`) is a
 * non-resource request.
 */
import { isFalseQueryValue } from './query-bool.js';

/** The Kubernetes verb of a request, as authorizers and metrics see it. */
export type RequestVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'proxy' | 'connect';

/** What a request addresses. */
export interface RequestInfo {
  /** Whether the path names a resource (`/api/v1/...`, `/apis/g/v/...`) below a group version. */
  isResourceRequest: boolean;
  /** The path without the query string. */
  path: string;
  /** The Kubernetes verb (for non-resource requests: the lower-case HTTP method). */
  verb: RequestVerb | string;
  /** `api` or `apis` for resource requests. */
  apiPrefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments from the resource on: `[resource, name, subresource, ...rest]` (the rest is the proxied path of `pods/x/proxy/...`). */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isWatchParam(value: string | null): boolean {
  return value !== null && !isFalseQueryValue(value);
}

/** Parses method + URL into a RequestInfo. */
export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 3) return info; // /apis, /apis/g, /apis/g/v: discovery
    info.group = parts[0]!;
    parts = parts.slice(1);
  } else if (parts.length < 2) {
    return info; // /api, /api/v1: discovery
  }
  info.version = parts[0]!;
  parts = parts.slice(1);
  info.isResourceRequest = true;
  try {
    parts = parts.map((p) => decodeURIComponent(p));
  } catch {
    // leave undecodable segments as they are; they will not match anything
  }

  let legacyWatch = false;
  if (parts[0] === 'watch') {
    legacyWatch = true;
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces' && parts.length >= 2) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts[2] ?? '';

  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? 'get' : 'list';
      if (legacyWatch || isWatchParam(url.searchParams.get('watch'))) info.verb = 'watch';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method.toLowerCase();
  }
  // `pods/x/proxy/...` keeps the verb of its method (get, create, update, patch, delete), as in
  // Kubernetes, where authorizers see e.g. `get` on `pods/proxy`; the `proxy` verb belongs to
  // the long-removed `/api/v1/proxy/...` paths.
  return info;
}
