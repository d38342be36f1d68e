import { describe, expect, it } from 'vitest';
import { Pods, type Pod } from '../core/pod.kind.js';
import { Deployments, type Deployment } from '../apps/deployment.kind.js';
import { validateObject } from './validate-object.js';

const pod = (): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });

describe('validateObject', () => {
  it('accepts a small pod and applies the pod defaults', () => {
    const r = validateObject(Pods, pod());
    expect(r.causes).toEqual([]);
    expect(r.object.spec?.restartPolicy).toBe('Always');
    expect(r.object.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
  });

  it('prunes unknown fields and reports their paths', () => {
    const p = pod() as unknown as Record<string, any>;
    p.spec.foo = 1;
    p.spec.containers[0].bad = true;
    const r = validateObject(Pods, p as Pod);
    expect(r.causes).toEqual([]);
    expect([...r.unknownFields].sort()).toEqual(['spec.containers[0].bad', 'spec.foo']);
    expect((r.object.spec as Record<string, unknown>).foo).toBeUndefined();
  });

  it('rejects negative replicas with the message kubectl prints', () => {
    const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } } };
    const r = validateObject(Deployments, d);
    expect(r.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }]);
  });
});
