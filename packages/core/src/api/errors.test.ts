import { describe, expect, it } from 'vitest';
import { conflict, invalid, notFound, StatusError } from './errors.js';

describe('StatusError', () => {
  it('words NotFound, Conflict and Invalid as Kubernetes does', () => {
    expect(notFound({ group: 'apps', resource: 'deployments' }, 'web').message).toBe('deployments.apps "web" not found');
    expect(conflict({ group: 'apps', resource: 'deployments' }, 'web').message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    const e = invalid('Deployment', 'apps', 'web', [
      { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' },
    ]);
    expect(e.code).toBe(422);
    expect(e.message).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(e.toStatus().details).toMatchObject({ kind: 'Deployment', group: 'apps', name: 'web' });
  });

  it('always sends details with a 404, which kubectl reads without checking', () => {
    const bare = new StatusError('NotFound', 'the server could not find the requested resource (pods/ephemeralcontainers)');
    expect(bare.toStatus().details).toEqual({});
    expect(new StatusError('BadRequest', 'bad').toStatus().details).toBeUndefined();
  });

  it('round-trips through a Status', () => {
    const e = StatusError.fromStatus(notFound({ resource: 'pods' }, 'p').toStatus());
    expect(e.reason).toBe('NotFound');
    expect(e.code).toBe(404);
    expect(e.details).toMatchObject({ name: 'p', kind: 'pods' });
  });
});
