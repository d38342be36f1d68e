/**
 * Writes objects and lists in the representation the client negotiated: the object itself
 * (JSON or YAML), a Table, or PartialObjectMetadata. Lists are streamed item by item.
 */
import type { Clock, KubeObject, ObjectList, ResourceDefinition } from '@converge/core';
import { badRequest } from '@converge/core';
import { contentTypeOf, negotiate, type ResponseTarget } from '../http/media-types.js';
import { queryBool } from '../http/query-bool.js';
import { writeList, writeObject } from '../http/response-writer.js';
import { partialObjectMetadata, type IncludeObject, type TableConvertor } from '../tables/table-convertor.js';
import { flushWarnings, type RequestContext } from './request-context.js';

/** Reads `includeObject` (default Metadata). */
export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (!v) return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
}

/** Whether the client asked for indented JSON (`?pretty`, a boolean query parameter). */
export function prettyOf(ctx: RequestContext): boolean {
  return queryBool(ctx.url.searchParams, 'pretty') === true;
}

/** Writes objects of one kind in negotiated representations. */
export class ObjectResponder {
  constructor(
    private readonly tables: TableConvertor,
    private readonly clock: Clock,
  ) {}

  /** Negotiates the representation of a response about objects of a kind (406 when impossible). */
  target(ctx: RequestContext, options: { convertible: boolean }): ResponseTarget {
    const target = negotiate(ctx.req.headers.accept, { table: options.convertible, partial: options.convertible });
    // Checked now, before any write: a bad `includeObject` must fail the request, not its answer.
    if (target.kind === 'table') includeObjectOf(ctx.url.searchParams);
    return target;
  }

  /** Writes one object (or a Status, Scale, ... when `def` is undefined). */
  object(ctx: RequestContext, code: number, obj: unknown, target: ResponseTarget, def: ResourceDefinition | undefined): void {
    flushWarnings(ctx);
    if (target.kind === 'discovery') target = { kind: 'object', format: 'json' };
    if (!def || target.kind === 'object' || !isKubeObject(obj)) {
      const format = target.format;
      writeObject(ctx.res, code, obj, {
        format,
        contentType: format === 'yaml' ? 'application/yaml' : 'application/json',
        pretty: prettyOf(ctx),
      });
      return;
    }
    // The representation is built whole before anything is written. This runs after writes
    // were committed: should a conversion fail, the object itself is the answer, never a 500
    // telling the client that a stored write failed.
    let converted: { body: unknown; contentType: string };
    try {
      converted =
        target.kind === 'table'
          ? {
              body: this.tables.table(def, [obj], {
                now: this.clock.now(),
                includeObject: includeObjectOf(ctx.url.searchParams),
                version: target.version,
              }),
              contentType: contentTypeOf(target),
            }
          : { body: partialObjectMetadata(obj, target.version), contentType: contentTypeOf({ ...target, list: false }) };
    } catch {
      converted = { body: obj, contentType: target.format === 'yaml' ? 'application/yaml' : 'application/json' };
    }
    writeObject(ctx.res, code, converted.body, { format: target.format, contentType: converted.contentType, pretty: prettyOf(ctx) });
  }

  /** Streams a list. */
  async list(ctx: RequestContext, list: ObjectList, target: ResponseTarget, def: ResourceDefinition): Promise<void> {
    flushWarnings(ctx);
    const metadata = list.metadata ?? {};
    if (target.kind === 'table') {
      const now = this.clock.now();
      const includeObject = includeObjectOf(ctx.url.searchParams);
      const version = target.version;
      await writeList(
        ctx.res,
        { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata, items: list.items },
        {
          format: target.format,
          contentType: contentTypeOf(target),
          arrayField: 'rows',
          extra: { columnDefinitions: this.tables.columnDefinitions(def) },
          encodeItem: (item) => this.tables.row(def, item as KubeObject, { now, includeObject, version }),
          pretty: prettyOf(ctx),
        },
      );
      return;
    }
    if (target.kind === 'partial') {
      await writeList(
        ctx.res,
        { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${target.version}`, metadata, items: list.items },
        {
          format: target.format,
          contentType: contentTypeOf({ ...target, list: true }),
          encodeItem: (item) => partialObjectMetadata(item as KubeObject, target.version),
          pretty: prettyOf(ctx),
        },
      );
      return;
    }
    const format = target.kind === 'object' ? target.format : 'json';
    await writeList(
      ctx.res,
      {
        kind: list.kind ?? def.listKind,
        apiVersion: list.apiVersion ?? (def.group ? `${def.group}/${def.version}` : def.version),
        metadata,
        items: list.items,
      },
      { format, contentType: format === 'yaml' ? 'application/yaml' : 'application/json', pretty: prettyOf(ctx) },
    );
  }
}

function isKubeObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && typeof (v as KubeObject).metadata === 'object' && (v as KubeObject).kind !== 'Status';
}
