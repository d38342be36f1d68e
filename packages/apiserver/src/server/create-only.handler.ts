/**
 * The kinds and subresources that only answer a create: reviews (TokenReview,
 * SubjectAccessReview, ...), kinds the store's kinds table creates as a subresource of another
 * kind (`bindings`, which bind a pod), and `serviceaccounts/<name>/token`.
 */
import { StatusError, type KubeObject, type ObjectStore, type ResourceDefinition } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { kindRoutingOf } from '@converge/store';
import { REVIEW_KINDS, type ReviewHandler } from '../auth/review.handler.js';
import type { ProtobufDecoder } from '../http/body-decoder.js';
import { writeOptionsOf } from '../http/query-options.js';
import type { ObjectResponder } from '../handlers/object-responder.js';
import type { RequestContext } from '../handlers/request-context.js';
import { verbNotAllowed } from '../handlers/resource.handler.js';
import { readObjectBody, type WriteBody } from '../handlers/write-body.js';
import { resourceNotFound } from './resource-not-found.js';

/** What the create-only handler needs: the parts of the API handler's options it serves from. */
export interface CreateOnlyHandlerOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  responder: ObjectResponder;
  reviews: ReviewHandler;
  maxBodyBytes: number;
  protobuf?: ProtobufDecoder;
}

/** Serves the create-only kinds (reviews, bindings) and token requests. */
export class CreateOnlyHandler {
  constructor(private readonly o: CreateOnlyHandlerOptions) {}

  /**
   * Serves a create of a virtual kind: reviews, and those the store's kinds table creates as a
   * subresource of another kind (`bindings`, which bind a pod).
   */
  async virtual(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    if (ctx.info.verb !== 'create' || ctx.info.name) throw verbNotAllowed();
    const createAs = kindRoutingOf(def).createAs;
    if (createAs) {
      const parent = this.o.catalog.get({ group: def.group, version: def.version, resource: createAs.resource });
      if (!parent) throw resourceNotFound();
      const target = this.o.responder.target(ctx, { convertible: false });
      const options = writeOptionsOf(ctx.url.searchParams);
      const body = await this.readBody(ctx);
      const obj = body.obj as KubeObject;
      obj.metadata ??= {};
      obj.metadata.namespace ??= ctx.info.namespace;
      await this.o.store.create(parent, obj, { ...options, subresource: createAs.subresource, name: obj.metadata.name ?? '' });
      this.o.responder.object(
        ctx,
        201,
        { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
        target,
        undefined,
      );
      return;
    }
    if (!REVIEW_KINDS.has(`${def.group}/${def.kind}`)) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    writeOptionsOf(ctx.url.searchParams);
    const body = await this.readBody(ctx);
    const kind = body.obj['kind'];
    if (kind !== undefined && kind !== def.kind)
      throw new StatusError('BadRequest', `the kind in the data (${String(kind)}) does not match the expected kind (${def.kind})`);
    const answer = await this.o.reviews.review(def.group, def.version, def.kind, body.obj, ctx.user, ctx.info.namespace || undefined);
    this.o.responder.object(ctx, 201, answer, target, undefined);
  }

  /** Serves `serviceaccounts/<name>/token` (a TokenRequest). */
  async tokenRequest(ctx: RequestContext): Promise<void> {
    if (ctx.info.verb !== 'create') throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    const options = writeOptionsOf(ctx.url.searchParams);
    const body = await this.readBody(ctx);
    const answer = await this.o.reviews.tokenRequest(ctx.info.namespace, ctx.info.name, body.obj, options.dryRun ?? false);
    this.o.responder.object(ctx, 201, answer, target, undefined);
  }

  /** Reads the request's object body (no duplicate-field check: these kinds are not stored as sent). */
  private readBody(ctx: RequestContext): Promise<WriteBody> {
    return readObjectBody(ctx, {
      limit: this.o.maxBodyBytes,
      ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}),
      findDuplicates: false,
    });
  }
}
