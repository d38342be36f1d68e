import type { Status, StatusCause, StatusDetails } from './meta.js';

/**
 * The Status reasons Converge raises, one to one with Kubernetes' `metav1.StatusReason`
 * and its HTTP code.
 */
export const StatusReasons = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Gone: 410,
  Expired: 410,
  Forbidden: 403,
  Unauthorized: 401,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

/** A Status reason known to Converge. */
export type StatusReason = keyof typeof StatusReasons;

/** What a resource is called in messages: `deployments.apps`, or `pods` for the core group. */
export interface QualifiedResource {
  group?: string;
  resource: string;
}

function qualified(r: QualifiedResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/**
 * The one error type of the ObjectStore contract: a Kubernetes Status failure.
 *
 * Every implementation (registry, remote client, FakeStore) throws it, so callers test
 * `err.reason` or the `is*` helpers below whatever store they talk to.
 */
export class StatusError extends Error {
  /** The Status reason, e.g. `NotFound`. */
  readonly reason: StatusReason | string;
  /** The HTTP code of the Status. */
  readonly code: number;
  /** The Status details (name, group, kind, causes). */
  readonly details?: StatusDetails;

  constructor(reason: StatusReason | string, message: string, options: { code?: number; details?: StatusDetails } = {}) {
    super(message);
    this.name = 'StatusError';
    this.reason = reason;
    this.code = options.code ?? (StatusReasons as Record<string, number>)[reason] ?? 500;
    if (options.details) this.details = options.details;
  }

  /** The `metav1.Status` object for this error, as an API server sends it. */
  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    // Kubernetes always sends details with a NotFound, and clients read them without checking
    // (kubectl debug dereferences `details.name`), so a 404 never goes out without them.
    if (this.details) s.details = this.details;
    else if (this.code === 404) s.details = {};
    return s;
  }

  /** Builds a StatusError back from a `metav1.Status` (e.g. one received over HTTP). */
  static fromStatus(status: Status, fallbackCode = 500): StatusError {
    const code = status.code ?? fallbackCode;
    const opts: { code: number; details?: StatusDetails } = { code };
    if (status.details) opts.details = status.details;
    return new StatusError(status.reason || reasonForCode(code), status.message ?? `request failed with code ${code}`, opts);
  }
}

function reasonForCode(code: number): string {
  for (const [reason, c] of Object.entries(StatusReasons)) if (c === code) return reason;
  return 'Unknown';
}

/** `<resource> "<name>" not found`, reason NotFound, 404. */
export function notFound(r: QualifiedResource, name: string): StatusError {
  return new StatusError('NotFound', `${qualified(r)} "${name}" not found`, { details: detailsOf(r, name) });
}

/** `<resource> "<name>" already exists`, reason AlreadyExists, 409. */
export function alreadyExists(r: QualifiedResource, name: string): StatusError {
  return new StatusError('AlreadyExists', `${qualified(r)} "${name}" already exists`, { details: detailsOf(r, name) });
}

/** The optimistic-concurrency failure kubectl users know, reason Conflict, 409. */
export function conflict(
  r: QualifiedResource,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): StatusError {
  return new StatusError('Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, { details: detailsOf(r, name) });
}

/**
 * An Invalid (422) error with one cause per bad field, worded as Kubernetes words it:
 * `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
 */
export function invalid(kind: string, group: string | undefined, name: string, causes: StatusCause[]): StatusError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
  const msg = `${kind}${name ? ` "${name}"` : ''} is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
  const details: StatusDetails = { name, kind, causes };
  if (group) details.group = group;
  return new StatusError('Invalid', `The ${msg}`, { details });
}

/** A BadRequest (400). */
export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

/** The 410 a watch or list gets when its resourceVersion is older than the kept history. */
export function expired(message = 'too old resource version'): StatusError {
  return new StatusError('Expired', message);
}

/** A Forbidden (403). */
export function forbidden(r: QualifiedResource, name: string, why: string): StatusError {
  return new StatusError('Forbidden', `${qualified(r)}${name ? ` "${name}"` : ''} is forbidden: ${why}`, { details: detailsOf(r, name) });
}

/** A MethodNotAllowed (405). */
export function methodNotAllowed(message: string): StatusError {
  return new StatusError('MethodNotAllowed', message);
}

/** A TooManyRequests (429), optionally with a retry-after hint. */
export function tooManyRequests(message: string, retryAfterSeconds?: number): StatusError {
  return new StatusError('TooManyRequests', message, retryAfterSeconds !== undefined ? { details: { retryAfterSeconds } } : {});
}

/** An InternalError (500). */
export function internalError(message: string): StatusError {
  return new StatusError('InternalError', `Internal error occurred: ${message}`);
}

function detailsOf(r: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: r.resource };
  if (r.group) d.group = r.group;
  return d;
}

/** True when `err` is a StatusError with the given reason. */
export function hasReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof StatusError && err.reason === reason;
}
/** True for a NotFound error. */
export const isNotFound = (err: unknown): boolean => hasReason(err, 'NotFound');
/** True for an AlreadyExists error. */
export const isAlreadyExists = (err: unknown): boolean => hasReason(err, 'AlreadyExists');
/** True for a Conflict error. */
export const isConflict = (err: unknown): boolean => hasReason(err, 'Conflict');
/** True for an Invalid error. */
export const isInvalid = (err: unknown): boolean => hasReason(err, 'Invalid');
/** True for a 410 (Gone or Expired): the caller must relist. */
export const isGone = (err: unknown): boolean => err instanceof StatusError && err.code === 410;
