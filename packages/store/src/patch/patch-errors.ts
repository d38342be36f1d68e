/**
 * The StatusErrors patches fail with, as Kubernetes' API server words them: a malformed patch
 * is a BadRequest (400); a well-formed patch that cannot be applied to this object (a failed
 * `test`, a path that does not exist) is Invalid (422).
 */
import { StatusError } from '@converge/core';

/** A patch that is malformed: BadRequest, 400. */
export function malformedPatch(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

/**
 * A patch that cannot be applied: Invalid, 422, with the reason as the one cause
 * (Kubernetes' generic "the server rejected our request" response, with the detail kept).
 */
export function unappliablePatch(message: string): StatusError {
  return new StatusError('Invalid', `the server rejected our request due to an error in our request: ${message}`, {
    code: 422,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message }] },
  });
}
