/**
 * The REST verbs on a kind: GET, LIST, CREATE, UPDATE, PATCH, DELETE and DELETECOLLECTION on
 * objects and on their `status` and `scale` subresources, plus the `binding` and `eviction`
 * creates of Pods. Everything Kubernetes-semantic happens in the ObjectStore; this handler
 * decodes, checks the request against its path, runs admission, and encodes.
 */
import {
  badRequest,
  methodNotAllowed,
  StatusError,
  type Clock,
  type DeleteOptions,
  type KubeObject,
  type ObjectKey,
  type ObjectStore,
  type PatchOptions,
  type ResourceDefinition,
  type WriteOptions,
} from '@converge/core';
import type { AdmissionChain, AdmissionOperation } from '../admission/admission.js';
import { verbsOf } from '../discovery/discovery-service.js';
import { hasSubresource } from '../discovery/subresources.js';
import { readBody } from '../http/body-reader.js';
import { parseJson, parseYaml, type ProtobufDecoder } from '../http/body-decoder.js';
import { patchTypeOf } from '../http/media-types.js';
import { queryBool } from '../http/query-bool.js';
import { deleteOptionsOf, listOptionsOf, writeOptionsOf } from '../http/query-options.js';
import type { ObjectResponder } from './object-responder.js';
import type { RequestContext } from './request-context.js';
import { readObjectBody, readOptionalBody, writeWithFieldValidation, type WriteBody } from './write-body.js';

/** Hooks other parts of the server attach to writes (the CRD registrar uses them). */
export interface ResourceWriteHooks {
  /** Runs after a stored (not dry-run) create, update or patch. */
  afterWrite?(def: ResourceDefinition, obj: KubeObject): Promise<void>;
  /** Runs before a create of an object (not a subresource); throws to refuse it (custom objects of a Terminating CRD). */
  beforeCreate?(def: ResourceDefinition): void;
  /** Runs before a (not dry-run) delete of one object (the CRD registrar adds its cleanup finalizer). */
  beforeDelete?(def: ResourceDefinition, key: ObjectKey): Promise<void>;
  /** Runs after a (not dry-run) delete of one object, with what the delete returned. */
  afterDelete?(def: ResourceDefinition, obj: KubeObject): Promise<void>;
  /** Whether a kind is a custom resource (no strategic merge patch). */
  isCustomResource?(def: ResourceDefinition): boolean;
}

/** What the resource handler needs. */
export interface ResourceHandlerOptions {
  store: ObjectStore;
  admission: AdmissionChain;
  responder: ObjectResponder;
  clock: Clock;
  maxBodyBytes: number;
  protobuf?: ProtobufDecoder;
  hooks?: ResourceWriteHooks;
}

const SUCCESS_CREATED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function keyOf(def: ResourceDefinition, ctx: RequestContext): ObjectKey {
  return def.namespaced ? { namespace: ctx.info.namespace, name: ctx.info.name } : { name: ctx.info.name };
}

/** The 405 for a verb a kind does not serve. */
export function verbNotAllowed(): StatusError {
  return methodNotAllowed('the server does not allow this method on the requested resource');
}

/** Serves the REST verbs of one kind. */
export class ResourceHandler {
  constructor(private readonly o: ResourceHandlerOptions) {}

  private checkVerb(def: ResourceDefinition, verb: string): void {
    if (!verbsOf(def).includes(verb)) throw verbNotAllowed();
  }

  private async admit(
    ctx: RequestContext,
    def: ResourceDefinition,
    operation: AdmissionOperation,
    extra: { object?: KubeObject; dryRun?: boolean; apply?: boolean },
  ): Promise<void> {
    const req: Parameters<AdmissionChain['run']>[0] = { operation, definition: def, user: ctx.user, dryRun: extra.dryRun ?? false };
    if (def.namespaced && ctx.info.namespace) req.namespace = ctx.info.namespace;
    const name = ctx.info.name || extra.object?.metadata?.name;
    if (name) req.name = name;
    if (ctx.info.subresource) req.subresource = ctx.info.subresource;
    if (extra.object) req.object = extra.object;
    if (extra.apply) req.apply = true;
    await this.o.admission.run(req);
  }

  /** GET of one object or of its status/scale. */
  async get(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const sub = ctx.info.subresource;
    if (!sub) this.checkVerb(def, 'get');
    const target = this.o.responder.target(ctx, { convertible: !sub || sub === 'status' });
    const opts: { resourceVersion?: string; subresource?: string } = {};
    const rv = ctx.url.searchParams.get('resourceVersion');
    if (rv) opts.resourceVersion = rv;
    if (sub) opts.subresource = sub;
    const obj = await this.o.store.get(def, keyOf(def, ctx), opts);
    this.o.responder.object(ctx, 200, obj, target, sub === 'scale' ? undefined : def);
  }

  /** LIST, streamed. */
  async list(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    this.checkVerb(def, 'list');
    const target = this.o.responder.target(ctx, { convertible: true });
    const list = await this.o.store.list(
      def,
      listOptionsOf(ctx.url.searchParams, def.namespaced ? ctx.info.namespace || undefined : undefined),
    );
    await this.o.responder.list(ctx, list, target, def);
  }

  /** POST to the collection, or to a `binding` / `eviction` subresource. */
  async create(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const sub = ctx.info.subresource;
    if (!sub) this.checkVerb(def, 'create');
    if (def.namespaced && !ctx.info.namespace) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: !sub });
    const options = writeOptionsOf(ctx.url.searchParams, ctx.req.headers['user-agent']);
    const body = await this.readBody(ctx, { findDuplicates: options.fieldValidation !== 'Ignore' });
    const obj = body.obj as KubeObject;
    this.fillNamespace(ctx, def, obj);
    if (sub) {
      // binding / eviction: the body names the pod; the store checks it against the URL.
      await this.admit(ctx, def, 'CREATE', { object: obj, dryRun: options.dryRun ?? false });
      await this.o.store.create(def, obj, { ...options, subresource: sub, name: ctx.info.name });
      this.o.responder.object(ctx, 201, SUCCESS_CREATED, target, undefined);
      return;
    }
    this.o.hooks?.beforeCreate?.(def);
    await this.admit(ctx, def, 'CREATE', { object: obj, dryRun: options.dryRun ?? false });
    const created = await writeWithFieldValidation(ctx, def, body.obj, body.duplicateFields, options, (opts) =>
      this.o.store.create(def, obj, opts),
    );
    if (!options.dryRun) await this.o.hooks?.afterWrite?.(def, created);
    this.o.responder.object(ctx, 201, created, target, def);
  }

  /** PUT of an object or of its status/scale. */
  async update(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const sub = ctx.info.subresource;
    if (!sub) this.checkVerb(def, 'update');
    else if (!hasSubresource(def, sub)) throw subresourceNotFound(def, sub);
    const target = this.o.responder.target(ctx, { convertible: sub !== 'scale' });
    const options = writeOptionsOf(ctx.url.searchParams, ctx.req.headers['user-agent']);
    const body = await this.readBody(ctx, { findDuplicates: options.fieldValidation !== 'Ignore' });
    const obj = body.obj as KubeObject;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequest('metadata must be a JSON object');
    // As Kubernetes' update handler: the body must name the object of the URL (a body without
    // a name is not "this object"), and may leave the namespace out.
    checkNameAgainstUrl(ctx, def, obj.metadata as Record<string, unknown>, { nameRequired: true });
    this.fillNamespace(ctx, def, obj);
    await this.admit(ctx, def, 'UPDATE', { object: obj, dryRun: options.dryRun ?? false });
    const write = (opts: WriteOptions) => this.o.store.update(def, obj, sub ? { ...opts, subresource: sub } : opts);
    const updated = await writeWithFieldValidation(ctx, def, body.obj, body.duplicateFields, options, write);
    if (!options.dryRun && !sub) await this.o.hooks?.afterWrite?.(def, updated);
    this.o.responder.object(ctx, 200, updated, target, sub === 'scale' ? undefined : def);
  }

  /** PATCH of an object or of its status/scale, by content type. */
  async patch(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const sub = ctx.info.subresource;
    if (!sub) this.checkVerb(def, 'patch');
    else if (!hasSubresource(def, sub)) throw subresourceNotFound(def, sub);
    const custom = this.o.hooks?.isCustomResource?.(def) ?? false;
    const type = patchTypeOf(ctx.req.headers['content-type'], { strategic: !custom });
    ctx.isApply = type === 'apply';
    const target = this.o.responder.target(ctx, { convertible: sub !== 'scale' });
    const q = ctx.url.searchParams;
    // Apply patches must name their manager; other writes default to the User-Agent's.
    const options: PatchOptions = writeOptionsOf(q, type === 'apply' ? undefined : ctx.req.headers['user-agent']);
    const force = queryBool(q, 'force');
    if (force !== undefined) {
      if (type !== 'apply') throw invalidPatchOption('force', String(force), 'may not be specified for non-apply patch');
      if (force) options.force = true;
    }
    if (type === 'apply' && !options.fieldManager)
      throw invalidPatchOption('fieldManager', '', 'is required for apply patch', 'FieldValueRequired', 'Required value');
    const raw = (await readBody(ctx.req, this.o.maxBodyBytes)).toString('utf8');
    if (raw.trim() === '') throw badRequest('the patch body is empty');
    const findDuplicates = options.fieldValidation !== 'Ignore' && type !== 'json';
    const decoded = type === 'apply' ? parseYaml(raw, findDuplicates) : parseJson(raw, findDuplicates);
    const patchBody = decoded.value;
    if (type === 'json') {
      if (!Array.isArray(patchBody)) throw badRequest('json patch must be a list of operations');
    } else if (patchBody === null || typeof patchBody !== 'object' || Array.isArray(patchBody)) {
      throw badRequest(`${type === 'apply' ? 'apply' : 'merge'} patch must be a JSON object`);
    }
    // The patched object must still be the object of the URL: a patch body that renames it (or
    // removes its name) is refused here; JSON patches are checked by the store on the result.
    if (type !== 'json') {
      const meta = (patchBody as Record<string, unknown>)['metadata'];
      if (meta !== null && typeof meta === 'object' && !Array.isArray(meta))
        checkNameAgainstUrl(ctx, def, meta as Record<string, unknown>, { nameRequired: false });
    }
    await this.admit(ctx, def, 'UPDATE', { dryRun: options.dryRun ?? false, apply: type === 'apply' });
    const bodyObj = type === 'json' ? undefined : (patchBody as Record<string, unknown>);
    const write = (opts: WriteOptions) =>
      this.o.store.patch(
        def,
        keyOf(def, ctx),
        { type, body: patchBody },
        { ...opts, ...(sub ? { subresource: sub } : {}), ...(options.force ? { force: true } : {}) },
      );
    const patched = await writeWithFieldValidation(ctx, def, bodyObj, decoded.duplicateFields, options, write);
    if (!options.dryRun && !sub) await this.o.hooks?.afterWrite?.(def, patched);
    this.o.responder.object(ctx, 200, patched, target, sub === 'scale' ? undefined : def);
  }

  /** DELETE of one object. */
  async delete(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    this.checkVerb(def, 'delete');
    if (ctx.info.subresource) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    const body = await readOptionalBody(ctx, { limit: this.o.maxBodyBytes, ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}) });
    const options: DeleteOptions = deleteOptionsOf(ctx.url.searchParams, body);
    const key = keyOf(def, ctx);
    await this.admit(ctx, def, 'DELETE', { dryRun: options.dryRun ?? false });
    if (!options.dryRun) await this.o.hooks?.beforeDelete?.(def, key);
    const result = await this.o.store.delete(def, key, options);
    if (!options.dryRun) await this.o.hooks?.afterDelete?.(def, result);
    // Answered with the object as the store returned it (removed, or still held by finalizers
    // or a grace period), as Kubernetes does for kinds that return the deleted object: clients
    // get the final resourceVersion the DELETED watch event carries.
    const m = result.metadata ?? {};
    const pending = m.deletionTimestamp !== undefined && ((m.finalizers?.length ?? 0) > 0 || (m.deletionGracePeriodSeconds ?? 0) > 0);
    this.o.responder.object(ctx, pending && body?.['orphanDependents'] === false ? 202 : 200, result, target, def);
  }

  /** DELETE of the collection (with selectors); answers the list of deleted objects. */
  async deleteCollection(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    this.checkVerb(def, 'deletecollection');
    if (def.namespaced && !ctx.info.namespace) throw verbNotAllowed();
    const target = this.o.responder.target(ctx, { convertible: false });
    const body = await readOptionalBody(ctx, { limit: this.o.maxBodyBytes, ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}) });
    const q = ctx.url.searchParams;
    const options: Parameters<ObjectStore['deleteCollection']>[1] = { ...deleteOptionsOf(q, body) };
    if (def.namespaced) options.namespace = ctx.info.namespace;
    const ls = q.get('labelSelector');
    if (ls) options.labelSelector = ls;
    const fs = q.get('fieldSelector');
    if (fs) options.fieldSelector = fs;
    await this.admit(ctx, def, 'DELETE', { dryRun: options.dryRun ?? false });
    const list = await this.o.store.deleteCollection(def, options);
    if (!options.dryRun && this.o.hooks?.afterDelete) for (const item of list.items) await this.o.hooks.afterDelete(def, item);
    await this.o.responder.list(ctx, list, target.kind === 'object' ? target : { kind: 'object', format: 'json' }, def);
  }

  /** Reads and decodes the object body of a create or update, within the body limit. */
  private readBody(ctx: RequestContext, options: { findDuplicates: boolean }): Promise<WriteBody> {
    return readObjectBody(ctx, {
      limit: this.o.maxBodyBytes,
      ...(this.o.protobuf ? { protobuf: this.o.protobuf } : {}),
      findDuplicates: options.findDuplicates,
    });
  }

  /** Defaults an object's namespace from the path and refuses a different one. */
  private fillNamespace(ctx: RequestContext, def: ResourceDefinition, obj: KubeObject): void {
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequest('metadata must be a JSON object');
    if (!def.namespaced) return;
    const ns = ctx.info.namespace;
    if (!obj.metadata.namespace) obj.metadata.namespace = ns;
    else if (obj.metadata.namespace !== ns)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/**
 * Kubernetes' `checkName` for writes addressed to one object: the body's `metadata.name` must be
 * the name on the URL (when `nameRequired`, a missing or empty name is a mismatch; otherwise
 * only a name the body sets, `null` included), and a namespace the body sets must be the URL's.
 */
function checkNameAgainstUrl(
  ctx: RequestContext,
  def: ResourceDefinition,
  metadata: Record<string, unknown>,
  options: { nameRequired: boolean },
): void {
  const urlName = ctx.info.name;
  if (options.nameRequired || 'name' in metadata) {
    const name = metadata['name'];
    const objName = name === undefined || name === null ? '' : typeof name === 'string' ? name : JSON.stringify(name);
    if (objName !== urlName) throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${urlName})`);
  }
  const urlNamespace = def.namespaced ? ctx.info.namespace : '';
  const ns = metadata['namespace'];
  if (urlNamespace && ns !== undefined && ns !== null && ns !== '' && ns !== urlNamespace) {
    const objNamespace = typeof ns === 'string' ? ns : JSON.stringify(ns);
    throw badRequest(`the namespace of the object (${objNamespace}) does not match the namespace on the URL (${urlNamespace})`);
  }
}

/** The 404 for a subresource a kind does not serve. */
export function subresourceNotFound(def: ResourceDefinition, sub: string): StatusError {
  return new StatusError('NotFound', `the server could not find the requested resource (${def.resource}/${sub})`, { details: {} });
}

function invalidPatchOption(
  field: string,
  value: string,
  detail: string,
  reason = 'FieldValueNotSupported',
  prefix = `Unsupported value: ${JSON.stringify(value)}`,
): StatusError {
  return new StatusError('Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${prefix}: ${detail}`, {
    code: 422,
    details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason, message: `${prefix}: ${detail}`, field }] },
  });
}
