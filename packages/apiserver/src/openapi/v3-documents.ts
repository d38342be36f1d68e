/**
 * Builds the OpenAPI 3.0 documents Kubernetes serves under `/openapi/v3/<path>`: one per
 * group-version (`api/v1`, `apis/apps/v1`) with the paths and component schemas of its kinds,
 * and the small discovery documents (`api`, `apis`, `apis/<group>`).
 */
import type { GroupVersionKind, ResourceDefinition } from '@converge/core';
import type { BuiltComponent, ComponentBuilder } from './component-builder.js';
import { operationGroupStem, refTo, restPrefix, V3_REF_PREFIX, type OpenAPISchema } from './openapi-names.js';
import { operationsOf, type PathItem } from './operations.js';
import { API_COMPONENTS, MetaNames, SPECIAL_COMPONENTS } from './static-components.js';

/** An OpenAPI 3.0 document as a plain object. */
export type OpenAPIV3Document = Record<string, unknown> & {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, OpenAPISchema>; [other: string]: unknown };
};

/** What a document builder needs besides the kinds it describes. */
export interface DocumentContext {
  builder: ComponentBuilder;
  /** Finds the definition of a kind referenced by an operation (e.g. `autoscaling/v1 Scale` for `deployments/scale`). */
  lookup(gvk: GroupVersionKind): ResourceDefinition | undefined;
  /** The `info.version` of the documents, e.g. `v1.32.0`. */
  version: string;
}

/** Calls `visit` with every `$ref` string in a value. */
export function forEachRef(value: unknown, visit: (ref: string) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) forEachRef(v, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') visit(v);
      else forEachRef(v, visit);
    }
  }
}

/** Collects the component schemas a document needs, following references transitively. */
class ComponentSet {
  readonly schemas = new Map<string, OpenAPISchema>();
  private readonly own = new Map<string, BuiltComponent>();

  constructor(private readonly ctx: DocumentContext) {}

  /** Adds a kind's components; returns its schema name. */
  kind(def: ResourceDefinition): string {
    const kc = this.ctx.builder.kind(def);
    for (const [name, c] of kc.own) this.own.set(name, c);
    this.add(kc.name);
    if (kc.listName) this.add(kc.listName);
    return kc.name;
  }

  /** Adds the component `name` and everything it refers to. */
  add(name: string): void {
    if (this.schemas.has(name)) return;
    const built = this.own.get(name) ?? this.ctx.builder.sharedComponent(name);
    const schema = built?.schema ?? SPECIAL_COMPONENTS[name] ?? API_COMPONENTS[name];
    if (!schema) return; // left dangling: the reference check in the tests names it
    this.schemas.set(name, schema);
    if (built) for (const r of built.refs) this.add(r);
    forEachRef(schema, (ref) => {
      if (ref.startsWith(V3_REF_PREFIX)) this.add(ref.slice(V3_REF_PREFIX.length));
    });
  }

  /** Adds every component referenced from `value` (e.g. the paths). */
  addReferencedBy(value: unknown): void {
    forEachRef(value, (ref) => {
      if (ref.startsWith(V3_REF_PREFIX)) this.add(ref.slice(V3_REF_PREFIX.length));
    });
  }

  sorted(): Record<string, OpenAPISchema> {
    return Object.fromEntries([...this.schemas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

function sortedPaths(paths: Record<string, PathItem>): Record<string, PathItem> {
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function document(ctx: DocumentContext, paths: Record<string, PathItem>, schemas: Record<string, OpenAPISchema>): OpenAPIV3Document {
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: ctx.version },
    paths: sortedPaths(paths),
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

function discoveryGet(id: string, tag: string, description: string, schemaName: string): PathItem {
  return {
    get: {
      tags: [tag],
      description,
      operationId: id,
      responses: {
        '200': {
          description: 'OK',
          content: Object.fromEntries(
            ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'].map((t) => [t, { schema: refTo(schemaName) }]),
          ),
        },
        '401': { description: 'Unauthorized' },
      },
    },
  };
}

/** The document of one group-version: every operation of its kinds and the schemas they use. */
export function groupVersionDocument(
  gv: { group: string; version: string },
  defs: readonly ResourceDefinition[],
  ctx: DocumentContext,
): OpenAPIV3Document {
  const set = new ComponentSet(ctx);
  const opCtx = {
    componentOf: (gvk: GroupVersionKind): string | undefined => {
      const def = ctx.lookup(gvk);
      return def ? set.kind(def) : undefined;
    },
  };
  const paths: Record<string, PathItem> = {};
  const stem = operationGroupStem(gv);
  paths[`${restPrefix(gv)}/`] = discoveryGet(`get${stem}APIResources`, stem, 'get available resources', MetaNames.APIResourceList);
  for (const def of [...defs].sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    set.kind(def);
    Object.assign(paths, operationsOf(def, opCtx));
  }
  set.addReferencedBy(paths);
  return document(ctx, paths, set.sorted());
}

/** The `api` document: `GET /api/` (the core API's versions). */
export function coreVersionsDocument(ctx: DocumentContext): OpenAPIV3Document {
  const set = new ComponentSet(ctx);
  const paths = { '/api/': discoveryGet('getCoreAPIVersions', 'core', 'get available API versions', MetaNames.APIVersions) };
  set.addReferencedBy(paths);
  return document(ctx, paths, set.sorted());
}

/** The `apis` document: `GET /apis/` (the API groups). */
export function groupListDocument(ctx: DocumentContext): OpenAPIV3Document {
  const set = new ComponentSet(ctx);
  const paths = { '/apis/': discoveryGet('getAPIVersions', 'apis', 'get available API versions', MetaNames.APIGroupList) };
  set.addReferencedBy(paths);
  return document(ctx, paths, set.sorted());
}

/** The `apis/<group>` document: `GET /apis/<group>/` (the group's versions). */
export function groupDocument(group: string, ctx: DocumentContext): OpenAPIV3Document {
  const set = new ComponentSet(ctx);
  const stem = operationGroupStem({ group, version: '' });
  const paths = { [`/apis/${group}/`]: discoveryGet(`get${stem}APIGroup`, stem, 'get information of a group', MetaNames.APIGroup) };
  set.addReferencedBy(paths);
  return document(ctx, paths, set.sorted());
}
