import { deepFreeze, Deployments, Pods, StatusError, type KubeObject } from '@converge/core';
import { jsonSchemaOf } from '@converge/core/kinds';
import { describe, expect, it } from 'vitest';
import { applyPatch, type ApplyPatchInput } from './apply-patch.js';

const T = '2025-01-01T00:00:00Z';
const pod = deepFreeze({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', resourceVersion: '7', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
}) as KubeObject;

const run = (patch: ApplyPatchInput['patch'], extra: Partial<ApplyPatchInput> = {}) =>
  applyPatch({ schema: jsonSchemaOf(Pods), current: pod, patch, time: T, apiVersion: 'v1', kind: 'Pod', ...extra });

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected a StatusError');
}

describe('applyPatch', () => {
  it('dispatches on the patch type and leaves the current object alone', () => {
    expect(run({ type: 'merge', body: { metadata: { labels: { a: 'b' } } } }).metadata.labels).toEqual({ app: 'web', a: 'b' });
    expect(run({ type: 'strategic', body: { spec: { containers: [{ name: 'side', image: 'x' }] } } }).spec).toEqual({
      containers: [
        { name: 'side', image: 'x' },
        { name: 'web', image: 'nginx' },
      ],
    });
    expect(run({ type: 'json', body: [{ op: 'add', path: '/metadata/labels/b', value: 'c' }] }).metadata.labels).toEqual({
      app: 'web',
      b: 'c',
    });
    expect(pod.metadata.labels).toEqual({ app: 'web' });
  });

  it('returns non-apply patches without touching managedFields, and apply patches with them', () => {
    expect(run({ type: 'merge', body: { metadata: { labels: { a: 'b' } } } }).metadata.managedFields).toBeUndefined();
    const applied = run(
      { type: 'apply', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { x: 'y' } } } },
      { fieldManager: 'me' },
    );
    expect(applied.metadata.labels).toEqual({ app: 'web', x: 'y' });
    expect(applied.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ['me', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
  });

  it('applies what kubectl scale sends to a Deployment', () => {
    const d = deepFreeze({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas: 1, selector: { matchLabels: { a: 'b' } } },
    }) as KubeObject;
    const out = applyPatch({
      schema: jsonSchemaOf(Deployments),
      current: d,
      patch: { type: 'merge', body: { spec: { replicas: 3 } } },
      time: T,
      apiVersion: 'apps/v1',
    });
    expect(out.spec).toEqual({ replicas: 3, selector: { matchLabels: { a: 'b' } } });
    expect((out.spec as { selector: unknown }).selector).toBe((d.spec as { selector: unknown }).selector);
  });

  it('refuses an unknown patch type with 415', () => {
    expect(failure(() => run({ type: 'yaml' as never, body: {} })).code).toBe(415);
  });

  it('answers an absurdly deep patch with a 400, not a crash', () => {
    let body: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 100_000; i++) body = { a: body };
    expect(failure(() => run({ type: 'strategic', body })).code).toBe(400);
    expect(failure(() => run({ type: 'merge', body })).code).toBe(400);
  });

  it('rejects a patch that turns the object into something else', () => {
    expect(failure(() => run({ type: 'json', body: [{ op: 'replace', path: '', value: 3 }] })).code).toBe(400);
    expect(failure(() => run({ type: 'merge', body: { metadata: 'x' } })).code).toBe(422);
  });
});
