import {
  badRequest,
  deepFreeze,
  expired,
  StatusError,
  type KubeObject,
  type ListMeta,
  type ListOptions,
  type ObjectList,
} from '@converge/core';
import type { BackendListOptions } from '../backend/backend.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { KindInfo } from './kind-info.js';
import type { StoreOps } from './store-ops.js';
import { compileSelection } from './selection.js';

/** Parses a resourceVersion parameter: a positive decimal integer. */
export function parseResourceVersion(rv: string): number {
  const n = /^[0-9]{1,16}$/.test(rv) ? Number(rv) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid resource version ${JSON.stringify(rv)}`);
  return n;
}

/** The 504 Kubernetes answers when asked for a resourceVersion it has not reached. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError('Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    code: 504,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  });
}

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/**
 * Lists objects with Kubernetes' semantics: label and field selectors; `limit` + `continue`
 * pages read at the revision of the first page (410 once it is compacted); resourceVersion
 * unset (most recent), `"0"` (any), or a number with `resourceVersionMatch` Exact or
 * NotOlderThan. The list and its items are deeply frozen.
 */
export async function listObjects(reg: StoreOps, info: KindInfo, options: ListOptions): Promise<ObjectList> {
  const rvParam = options.resourceVersion ?? '';
  const match = options.resourceVersionMatch;
  if (match !== undefined && match !== 'Exact' && match !== 'NotOlderThan')
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}`);
  if (match && !rvParam) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (options.continue && rvParam && rvParam !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  if (match === 'Exact' && rvParam === '0') throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
  const limit = options.limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0))
    throw badRequest('limit must be a non-negative integer');
  if (options.namespace !== undefined && (typeof options.namespace !== 'string' || options.namespace.includes('/')))
    throw badRequest('invalid namespace');
  const predicate = compileSelection(info, options);
  const prefix = reg.layout.prefix(info, options.namespace);

  const read: BackendListOptions = { prefix };
  if (options.continue) {
    const state = decodeContinue(options.continue);
    read.revision = state.revision;
    read.startAfter = prefix + state.start;
    if (state.revision < (await reg.backend.compactedRevision())) throw expired(EXPIRED_CONTINUE);
  } else if (rvParam && rvParam !== '0') {
    const requested = parseResourceVersion(rvParam);
    const current = await reg.backend.currentRevision();
    if (requested > current) throw tooLargeResourceVersion(requested, current);
    if (match === 'Exact') {
      if (requested < (await reg.backend.compactedRevision())) throw expired('The resourceVersion for the provided list is too old.');
      read.revision = requested;
    }
  }

  const items: KubeObject[] = [];
  const want = limit && limit > 0 ? limit : Infinity;
  let revision: number;
  let lastKey: string | undefined;
  let more = false;
  let remaining: number | undefined;
  // Read in chunks until the page is full: a selective selector may need several.
  let chunk = want === Infinity ? undefined : Math.max(want, 64);
  for (;;) {
    const page = await reg.backend.list(chunk === undefined ? read : { ...read, limit: chunk }).catch((err: unknown) => {
      throw options.continue && err instanceof StatusError && err.code === 410 ? expired(EXPIRED_CONTINUE) : err;
    });
    if (read.revision === undefined) read.revision = page.revision;
    revision = page.revision;
    let i = 0;
    const conversion = info.conversion;
    for (; i < page.items.length && items.length < want; i++) {
      const stored = page.items[i]!;
      lastKey = stored.key;
      // Selectors see the served version (`regarding.name` of events.k8s.io/v1).
      const obj = conversion ? conversion.view(stored.object) : stored.object;
      if (!predicate || predicate(obj)) items.push(obj);
    }
    if (items.length >= want) {
      more = i < page.items.length || page.more;
      if (more && !predicate) remaining = (page.remaining ?? 0) + (page.items.length - i);
      break;
    }
    if (!page.more) break;
    read.startAfter = page.items[page.items.length - 1]!.key;
    chunk = Math.min((chunk ?? 64) * 2, 10_000);
  }

  const metadata: ListMeta = { resourceVersion: String(revision) };
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinue({ revision, start: lastKey.slice(prefix.length) });
    if (remaining !== undefined && remaining > 0) metadata.remainingItemCount = remaining;
  }
  return deepFreeze({ apiVersion: info.apiVersion, kind: info.def.listKind, metadata, items });
}
