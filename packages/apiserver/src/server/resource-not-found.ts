import { StatusError } from '@converge/core';

/** Builds the 404 Kubernetes answers for a path that names no resource or document it serves. */
export function resourceNotFound(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', { details: {} });
}
