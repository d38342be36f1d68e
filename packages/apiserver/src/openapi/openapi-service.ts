/**
 * The OpenAPI endpoints of the API server: `/openapi/v3` (an index of per-group-version
 * documents, each behind a content-hashed URL), `/openapi/v3/<path>`, and `/openapi/v2`, all
 * generated from a `ResourceCatalog` and rebuilt on demand when the catalog changes (a CRD is
 * created, changed or removed).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, realClock, StatusError, type Clock, type GroupVersionKind, type ResourceDefinition } from '@converge/core';
import { builtinResources, subresourceKinds, type ResourceCatalog } from '@converge/core/kinds';
import type { Subscription } from 'rxjs';
import { ComponentBuilder } from './component-builder.js';
import { groupVersionPath } from './openapi-names.js';
import { swaggerDocument, type SwaggerDocument } from './v2-document.js';
import { encodeOpenAPIV2Protobuf } from './v2-protobuf.js';
import {
  coreVersionsDocument,
  groupDocument,
  groupListDocument,
  groupVersionDocument,
  type DocumentContext,
  type OpenAPIV3Document,
} from './v3-documents.js';
import { serialize } from '../http/response-writer.js';

/** A served document: its bytes, content hash and entity tag. */
export interface ServedDocument {
  body: Buffer;
  /** Uppercase hex SHA-512 of the body, as in the index's `?hash=`. */
  hash: string;
  /** The quoted entity tag (`"<hash>"`). */
  etag: string;
}

/** Options of the OpenAPI service. */
export interface OpenAPIServiceOptions {
  /** The kinds served; documents follow its changes. */
  catalog: ResourceCatalog;
  /** `info.version` of the documents; `v1.32.0` when unset. */
  version?: string;
  /** The clock `Expires` headers are computed from; the real clock when unset. */
  clock?: Clock;
}

/** The media type of the protobuf form of `/openapi/v2` (gnostic's `openapi.v2.Document`), served when asked for. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/**
 * The Content-Type the protobuf form of `/openapi/v2` is served with: the dotted spelling of
 * `OPENAPI_V2_PROTOBUF`, as Kubernetes answers, since clients parse the Content-Type as a MIME
 * type and `@` is not allowed in one.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The media type of the protobuf form of `/openapi/v3` documents, which this server does not produce. */
export const OPENAPI_V3_PROTOBUF = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';

function served(value: unknown, body: Buffer = Buffer.from(JSON.stringify(value))): ServedDocument {
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { body, hash, etag: `"${hash}"` };
}

/**
 * Generates and caches the OpenAPI v2 and v3 documents of a catalog.
 *
 * Every document is built on first request and kept until a change in the catalog touches it:
 * adding or removing a kind drops the cached documents of its group-version, its group, the
 * group list, the v3 index and v2. Component schemas of built-in types are shared by all
 * documents and built once.
 *
 * Media types: v3 documents are JSON; a request that accepts only their protobuf encoding
 * (`application/com.github.proto-openapi.spec.v3@v1.0+protobuf`) gets a 406 NotAcceptable
 * Status. v2 is JSON by default and gnostic's `openapi.v2.Document` protobuf when the Accept
 * header prefers `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (see
 * v2-protobuf.ts): kubectl 1.32 reads `/openapi/v3` for `explain`, client-side `apply` merges
 * and its field-validation check, but asks for the v2 protobuf to validate a `kind: List`
 * manifest and for `explain --output=plaintext-openapiv2`.
 *
 * Wire it into the API server with `openapi: (catalog) => new OpenAPIService({ catalog })`:
 * the service implements the server's `OpenAPIHandler` (`handle(req, res, url)`).
 */
export class OpenAPIService {
  private readonly catalog: ResourceCatalog;
  private readonly builder = new ComponentBuilder();
  private readonly ctx: DocumentContext;
  private readonly v3Cache = new Map<string, ServedDocument | null>();
  private indexCache: ServedDocument | undefined;
  private v2Cache: ServedDocument | undefined;
  private v2ProtobufCache: ServedDocument | undefined;
  private readonly subscription: Subscription;
  private readonly clock: Clock;

  constructor(options: OpenAPIServiceOptions) {
    this.catalog = options.catalog;
    this.clock = options.clock ?? realClock;
    this.ctx = {
      builder: this.builder,
      lookup: (gvk) => this.lookup(gvk),
      version: options.version ?? 'v1.32.0',
    };
    this.subscription = this.catalog.changes.subscribe(({ definition }) => this.invalidate(definition));
  }

  /** Stops following the catalog. */
  close(): void {
    this.subscription.unsubscribe();
  }

  /** The paths of the v3 index (`api`, `api/v1`, `apis`, `apis/apps`, `apis/apps/v1`, ...), sorted. */
  v3Paths(): string[] {
    const paths = new Set<string>(['api', 'apis']);
    for (const d of this.catalog.all()) {
      paths.add(groupVersionPath(d));
      if (d.group) paths.add(`apis/${d.group}`);
    }
    return [...paths].sort();
  }

  /** The `/openapi/v3` index: `{ paths: { 'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=...' } } }`. */
  v3Index(): ServedDocument {
    if (!this.indexCache) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const p of this.v3Paths()) {
        const doc = this.v3Document(p);
        if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
      }
      this.indexCache = served({ paths });
    }
    return this.indexCache;
  }

  /** The v3 document at `path` (`api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`), or undefined when nothing is served there. */
  v3Document(path: string): ServedDocument | undefined {
    const key = path.replace(/^\/+|\/+$/g, '');
    let doc = this.v3Cache.get(key);
    if (doc === undefined) {
      const built = this.buildV3(key);
      doc = built ? served(built) : null;
      this.v3Cache.set(key, doc);
    }
    return doc ?? undefined;
  }

  /** The v3 document at `path` as an object (for tests and tools; not cached apart from its bytes). */
  v3Object(path: string): OpenAPIV3Document | undefined {
    const doc = this.v3Document(path);
    return doc ? (JSON.parse(doc.body.toString('utf8')) as OpenAPIV3Document) : undefined;
  }

  /** The Swagger 2.0 document of every group-version (`/openapi/v2`), as JSON. */
  v2(): { json: Buffer; etag: string; hash: string } {
    if (!this.v2Cache) {
      this.buildV3('api'); // warms the shared components
      const docs = this.groupVersions().map(([gv, defs]) => groupVersionDocument(gv, defs, this.ctx));
      this.v2Cache = served(swaggerDocument(docs, this.ctx.version));
    }
    return { json: this.v2Cache.body, etag: this.v2Cache.etag, hash: this.v2Cache.hash };
  }

  /** The Swagger 2.0 document of `v2()` encoded as gnostic's `openapi.v2.Document` protobuf. */
  v2Protobuf(): ServedDocument {
    if (!this.v2ProtobufCache) {
      const doc = JSON.parse(this.v2().json.toString('utf8')) as SwaggerDocument;
      this.v2ProtobufCache = served(undefined, encodeOpenAPIV2Protobuf(doc));
    }
    return this.v2ProtobufCache;
  }

  /**
   * Answers `GET /openapi/v2`, `/openapi/v3` and `/openapi/v3/<path>[?hash=...]`, as the API
   * server's OpenAPIHandler; returns false for any other path. A hashed URL whose hash is current
   * is served as immutable; a stale hash is redirected (301) to the current one, as Kubernetes
   * does; `If-None-Match` with the current ETag gets a 304.
   */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname;
    if (path !== '/openapi/v2' && path !== '/openapi/v3' && path !== '/openapi/v3/' && !path.startsWith('/openapi/v3/')) return false;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const accept = String(req.headers.accept ?? '*/*');
      if (path === '/openapi/v2' && prefersV2Protobuf(accept)) {
        const pb = this.v2Protobuf();
        return this.send(req, res, pb.body, pb.etag, 'no-cache, private', false, OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
      }
      if (!acceptsJSON(accept)) {
        const want = path === '/openapi/v2' ? OPENAPI_V2_PROTOBUF : OPENAPI_V3_PROTOBUF;
        throw new StatusError(
          'NotAcceptable',
          `only application/json is served here, not ${accept.includes('protobuf') ? want : JSON.stringify(accept)}`,
        );
      }
      if (path === '/openapi/v2') {
        const v2 = this.v2();
        return this.send(req, res, v2.json, v2.etag, 'no-cache, private');
      }
      if (path === '/openapi/v3' || path === '/openapi/v3/') {
        const index = this.v3Index();
        return this.send(req, res, index.body, index.etag, 'no-cache, private');
      }
      const docPath = decodeURIComponent(path.slice('/openapi/v3/'.length));
      const doc = this.v3Document(docPath);
      if (!doc) throw new StatusError('NotFound', `the server could not find the requested resource`);
      const hash = url.searchParams.get('hash');
      if (hash !== null && hash !== doc.hash) {
        res.writeHead(301, { location: `/openapi/v3/${docPath}?hash=${doc.hash}`, 'cache-control': 'no-cache, private' });
        res.end();
        return true;
      }
      return this.send(req, res, doc.body, doc.etag, hash !== null ? 'public, immutable' : 'no-cache, private', hash !== null);
    } catch (err) {
      const status =
        err instanceof StatusError ? err : new StatusError('InternalError', `Internal error occurred: ${(err as Error).message}`);
      const body = Buffer.from(serialize(status.toStatus(), 'json'));
      res.writeHead(status.code, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
  }

  private send(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    etag: string,
    cacheControl: string,
    immutable = false,
    contentType = 'application/json',
  ): boolean {
    const headers: Record<string, string | number> = { 'content-type': contentType, etag, 'cache-control': cacheControl, vary: 'Accept' };
    if (immutable) headers.expires = new Date(this.clock.now() + 365 * 24 * 3600 * 1000).toUTCString();
    if (matchesETag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  private warmed = false;

  private buildV3(path: string): OpenAPIV3Document | undefined {
    if (!this.warmed) {
      this.builder.warm([...builtinResources, ...subresourceKinds]);
      this.warmed = true;
    }
    if (path === 'api') return coreVersionsDocument(this.ctx);
    if (path === 'apis') return groupListDocument(this.ctx);
    const all = this.catalog.all();
    const parts = path.split('/');
    if (parts[0] === 'api' && parts.length === 2) {
      const defs = all.filter((d) => d.group === '' && d.version === parts[1]);
      return defs.length ? groupVersionDocument({ group: '', version: parts[1]! }, defs, this.ctx) : undefined;
    }
    if (parts[0] === 'apis' && parts.length === 2)
      return all.some((d) => d.group === parts[1]) ? groupDocument(parts[1]!, this.ctx) : undefined;
    if (parts[0] === 'apis' && parts.length === 3) {
      const defs = all.filter((d) => d.group === parts[1] && d.version === parts[2]);
      return defs.length ? groupVersionDocument({ group: parts[1]!, version: parts[2]! }, defs, this.ctx) : undefined;
    }
    return undefined;
  }

  private groupVersions(): [{ group: string; version: string }, ResourceDefinition[]][] {
    const byGV = new Map<string, ResourceDefinition[]>();
    for (const d of this.catalog.all()) {
      const key = apiVersionOf(d);
      const list = byGV.get(key) ?? [];
      list.push(d);
      byGV.set(key, list);
    }
    return [...byGV.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, defs]) => [{ group: defs[0]!.group, version: defs[0]!.version }, defs]);
  }

  private lookup(gvk: GroupVersionKind): ResourceDefinition | undefined {
    const apiVersion = apiVersionOf(gvk);
    return (
      this.catalog.forKind(apiVersion, gvk.kind) ?? subresourceKinds.find((d) => d.kind === gvk.kind && apiVersionOf(d) === apiVersion)
    );
  }

  private invalidate(def: ResourceDefinition): void {
    this.v3Cache.delete(groupVersionPath(def));
    if (def.group) this.v3Cache.delete(`apis/${def.group}`);
    this.v3Cache.delete('apis');
    this.v3Cache.delete('api');
    // A kind referenced from another group-version's operations (Scale, Eviction, Binding) may have changed too.
    for (const key of [...this.v3Cache.keys()]) if (this.v3Cache.get(key) === null) this.v3Cache.delete(key);
    this.indexCache = undefined;
    this.v2Cache = undefined;
    this.v2ProtobufCache = undefined;
  }
}

function acceptsJSON(accept: string): boolean {
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'application/json' || type === '*/*' || type === 'application/*' || type === '';
  });
}

/**
 * Whether an Accept header asks for the v2 protobuf (`...spec.v2@v1.0+protobuf`, or the older
 * `...spec.v2.v1.0+protobuf` spelling) ahead of JSON: named with a non-zero quality that no
 * JSON entry (`application/json`, `application/*`, `*\/*`) beats, ties going to the earlier entry.
 */
function prefersV2Protobuf(accept: string): boolean {
  let protobuf: { q: number; at: number } | undefined;
  let json: { q: number; at: number } | undefined;
  accept.split(',').forEach((part, at) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) return;
    if (type === OPENAPI_V2_PROTOBUF || type === OPENAPI_V2_PROTOBUF_CONTENT_TYPE) {
      if (!protobuf || q > protobuf.q) protobuf = { q, at };
    } else if (type === 'application/json' || type === 'application/*' || type === '*/*') {
      if (!json || q > json.q) json = { q, at };
    }
  });
  if (!protobuf) return false;
  return !json || protobuf.q > json.q || (protobuf.q === json.q && protobuf.at < json.at);
}

function matchesETag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((s) => s.trim().replace(/^W\//, ''));
  return values.includes(etag) || values.includes('*');
}
