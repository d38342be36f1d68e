/**
 * Reads the query parameters (and DeleteOptions bodies) of resource requests into the
 * ObjectStore's option objects, refusing values that cannot be read (a non-integer limit) with
 * a 400. Whether option values make sense together is the store's to say, so every ObjectStore
 * answers alike.
 */
import {
  badRequest,
  StatusError,
  type DeleteOptions,
  type FieldValidation,
  type ListOptions,
  type WatchOptions,
  type WriteOptions,
} from '@converge/core';
import { queryBool } from './query-bool.js';

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return n;
}

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  return queryBool(q, name);
}

function invalidOption(kind: string, field: string, value: unknown, detail: string): StatusError {
  return new StatusError('Invalid', `${kind} "" is invalid: ${field}: ${detail}`, {
    code: 422,
    details: {
      kind,
      causes: [{ reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${JSON.stringify(value)}: ${detail}` }],
    },
  });
}

/** Reads the selection and pagination parameters of a LIST. */
export function listOptionsOf(q: URLSearchParams, namespace: string | undefined): ListOptions {
  const out: ListOptions = {};
  if (namespace) out.namespace = namespace;
  const labelSelector = q.get('labelSelector');
  if (labelSelector) out.labelSelector = labelSelector;
  const fieldSelector = q.get('fieldSelector');
  if (fieldSelector) out.fieldSelector = fieldSelector;
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit > 0) out.limit = limit;
  const cont = q.get('continue');
  if (cont) out.continue = cont;
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '') out.resourceVersion = rv;
  // The store checks the combination (and answers as every ObjectStore does).
  const match = q.get('resourceVersionMatch');
  if (match) out.resourceVersionMatch = match as ListOptions['resourceVersionMatch'] & string;
  if (boolParam(q, 'sendInitialEvents') !== undefined) {
    throw invalidOption(
      'ListOptions.meta.k8s.io',
      'sendInitialEvents',
      q.get('sendInitialEvents'),
      'sendInitialEvents is forbidden for list',
    );
  }
  return out;
}

/** Reads the parameters of a WATCH; `name` (a watch on one object) becomes a field selector. */
export function watchOptionsOf(q: URLSearchParams, namespace: string | undefined, name?: string): WatchOptions {
  const out: WatchOptions = {};
  if (namespace) out.namespace = namespace;
  const labelSelector = q.get('labelSelector');
  if (labelSelector) out.labelSelector = labelSelector;
  let fieldSelector = q.get('fieldSelector') ?? '';
  if (name) fieldSelector = fieldSelector ? `metadata.name=${name},${fieldSelector}` : `metadata.name=${name}`;
  if (fieldSelector) out.fieldSelector = fieldSelector;
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '') out.resourceVersion = rv;
  const bookmarks = boolParam(q, 'allowWatchBookmarks');
  if (bookmarks) out.allowWatchBookmarks = true;
  const initial = boolParam(q, 'sendInitialEvents');
  const match = q.get('resourceVersionMatch');
  if (initial !== undefined) {
    if (match !== 'NotOlderThan') {
      throw invalidOption(
        'ListOptions.meta.k8s.io',
        'resourceVersionMatch',
        match ?? '',
        'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      );
    }
    out.sendInitialEvents = initial;
  } else if (match) {
    throw invalidOption(
      'ListOptions.meta.k8s.io',
      'resourceVersionMatch',
      match,
      'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  }
  const timeout = intParam(q, 'timeoutSeconds');
  if (timeout !== undefined && timeout > 0) out.timeoutSeconds = timeout;
  return out;
}

/** Whether `dryRun=All` was asked for (any other value is a 400). */
export function dryRunOf(values: readonly string[]): boolean {
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dry run value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return values.length > 0;
}

const FIELD_VALIDATION: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/**
 * The field manager Kubernetes records for a write that names none: the client's User-Agent up
 * to its first `/` (`kubectl/v1.32.4 (linux/amd64) ...` is `kubectl`), printable characters
 * only, at most 128 of them.
 */
export function managerFromUserAgent(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const head = userAgent.split('/')[0] ?? '';
  let out = '';
  for (const ch of head) {
    if (out.length >= 128) break;
    if (/\p{C}/u.test(ch)) continue;
    out += ch;
  }
  return out || undefined;
}

/**
 * Reads `dryRun`, `fieldManager` and `fieldValidation` of a write; without a `fieldManager`,
 * the manager is named after the User-Agent as Kubernetes does (apply patches must name one).
 */
export function writeOptionsOf(q: URLSearchParams, userAgent?: string): WriteOptions {
  const out: WriteOptions = {};
  if (dryRunOf(q.getAll('dryRun'))) out.dryRun = true;
  const fm = q.get('fieldManager');
  if (fm !== null && fm !== '') {
    if (fm.length > 128) throw invalidOption('CreateOptions.meta.k8s.io', 'fieldManager', fm, 'must be no more than 128 characters');
    out.fieldManager = fm;
  } else {
    const fromAgent = managerFromUserAgent(userAgent);
    if (fromAgent) out.fieldManager = fromAgent;
  }
  const fv = q.get('fieldValidation');
  if (fv !== null && fv !== '') {
    if (!FIELD_VALIDATION.includes(fv as FieldValidation)) {
      throw badRequest(`fieldValidation parameter unsupported: ${fv}. Supported values: Strict, Warn, Ignore`);
    }
    out.fieldValidation = fv as FieldValidation;
  }
  return out;
}

/** The DeleteOptions of a DELETE: query parameters, then a DeleteOptions body on top. */
export function deleteOptionsOf(q: URLSearchParams, body: Record<string, unknown> | undefined): DeleteOptions {
  const out: DeleteOptions = {};
  if (dryRunOf(q.getAll('dryRun'))) out.dryRun = true;
  const grace = intParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) out.gracePeriodSeconds = grace;
  const pp = q.get('propagationPolicy');
  if (pp) out.propagationPolicy = pp as DeleteOptions['propagationPolicy'] & string;
  const orphan = boolParam(q, 'orphanDependents');
  if (orphan !== undefined && !out.propagationPolicy) out.propagationPolicy = orphan ? 'Orphan' : 'Background';
  if (body) {
    if (body['gracePeriodSeconds'] !== undefined && body['gracePeriodSeconds'] !== null) {
      if (!Number.isInteger(body['gracePeriodSeconds'])) throw badRequest('gracePeriodSeconds must be an integer');
      out.gracePeriodSeconds = body['gracePeriodSeconds'] as number;
    }
    if (typeof body['propagationPolicy'] === 'string')
      out.propagationPolicy = body['propagationPolicy'] as DeleteOptions['propagationPolicy'] & string;
    else if (typeof body['orphanDependents'] === 'boolean' && !out.propagationPolicy)
      out.propagationPolicy = body['orphanDependents'] ? 'Orphan' : 'Background';
    if (Array.isArray(body['dryRun']) && dryRunOf(body['dryRun'] as string[])) out.dryRun = true;
    const pre = body['preconditions'] as { uid?: unknown; resourceVersion?: unknown } | undefined | null;
    if (pre && typeof pre === 'object') {
      const p: { uid?: string; resourceVersion?: string } = {};
      if (typeof pre.uid === 'string') p.uid = pre.uid;
      if (typeof pre.resourceVersion === 'string') p.resourceVersion = pre.resourceVersion;
      if (p.uid !== undefined || p.resourceVersion !== undefined) out.preconditions = p;
    }
  }
  return out;
}
