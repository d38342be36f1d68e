import { badRequest } from '@converge/core';

/** What a continue token carries: the revision the first page was read at, and the last key returned (relative to the list prefix). */
export interface ContinueState {
  revision: number;
  start: string;
}

/** Encodes a continue token the way Kubernetes shapes it: base64 of `{"v":"meta.k8s.io/v1","rv":…,"start":…}`. */
export function encodeContinue(state: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: state.revision, start: state.start }), 'utf8').toString('base64url');
}

/** Decodes a continue token; a token that is not one of ours is a BadRequest. */
export function decodeContinue(token: string): ContinueState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: the continue token is not valid base64-encoded JSON');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (typeof p !== 'object' || p === null || p.v !== 'meta.k8s.io/v1')
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.rv !== 'number' || !Number.isSafeInteger(p.rv) || p.rv <= 0)
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || p.start === '' || p.start.startsWith('/') || p.start.split('/').includes('..'))
    throw badRequest('continue key is not valid: the start key is not valid');
  return { revision: p.rv, start: p.start };
}
