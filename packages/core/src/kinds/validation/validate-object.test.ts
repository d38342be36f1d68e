import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { Deployments, type Deployment } from '../apps/deployment.kind.js';
import { ConfigMaps } from '../core/configmap.kind.js';
import { Pods, type Pod } from '../core/pod.kind.js';
import { validateObject } from './validate-object.js';

const pod = (): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});
const msgs = (r: { causes: { field?: string; message?: string }[] }) => r.causes.map((c) => `${c.field}: ${c.message}`);

describe('validateObject', () => {
  it('accepts a small pod and applies the pod defaults', () => {
    const r = validateObject(Pods, pod());
    expect(r.causes).toEqual([]);
    expect(r.unknownFields).toEqual([]);
    expect(r.object.spec?.restartPolicy).toBe('Always');
  });

  it('prunes unknown fields and reports their paths', () => {
    const p = pod() as unknown as Record<string, any>;
    p.spec.foo = 1;
    p.spec.containers[0].bad = true;
    p.metadata.extra = 'x';
    const r = validateObject(Pods, p as Pod, { fieldValidation: 'Strict' });
    expect(r.causes).toEqual([]);
    expect([...r.unknownFields].sort()).toEqual(['metadata.extra', 'spec.containers[0].bad', 'spec.foo']);
    expect((r.object.spec as Record<string, unknown>).foo).toBeUndefined();
    expect((r.object.spec!.containers[0] as Record<string, unknown>).bad).toBeUndefined();
  });

  it('still prunes but reports nothing under Ignore', () => {
    const p = pod() as unknown as Record<string, any>;
    p.spec.foo = 1;
    const r = validateObject(Pods, p as Pod, { fieldValidation: 'Ignore' });
    expect(r.unknownFields).toEqual([]);
    expect((r.object.spec as Record<string, unknown>).foo).toBeUndefined();
  });

  it('accepts what kubectl create --dry-run -o yaml prints, nulls and empty objects included', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { creationTimestamp: null, labels: { app: 'web' }, name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }] },
        },
      },
      status: {},
    };
    const r = validateObject(Deployments, d as unknown as Deployment);
    expect(r.causes).toEqual([]);
    expect(r.unknownFields).toEqual([]);
    expect('creationTimestamp' in r.object.metadata).toBe(false);
    expect(r.object.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  });

  it('stops at type errors, so the kind rules never see a malformed object', () => {
    const bad = { ...pod(), spec: { containers: 'app' } } as unknown as Pod;
    const r = validateObject(Pods, bad);
    expect(msgs(r)).toEqual(['spec.containers: Invalid value: "app": must be of type array']);
  });

  it('gives a missing metadata object empty metadata and asks for a name', () => {
    const r = validateObject(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap' } as never);
    expect(msgs(r)).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('checks generateName, labels, annotations, finalizers and owner references', () => {
    const r = validateObject(ConfigMaps, {
      metadata: {
        generateName: 'Cfg-',
        namespace: 'default',
        labels: { 'bad key': 'v', ok: 'bad value!' },
        finalizers: ['example.com/f', 'example.com/f'],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }],
      },
    } as never);
    const m = msgs(r);
    expect(m[0]).toMatch(/^metadata\.generateName: Invalid value: "Cfg-": a lowercase RFC 1123 subdomain/);
    expect(m[1]).toMatch(/^metadata\.labels: Invalid value: "bad key": name part must consist of/);
    expect(m[2]).toMatch(/^metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string/);
    expect(m.slice(3)).toEqual([
      'metadata.finalizers[1]: Duplicate value: "example.com/f"',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ]);
  });

  it('copies a frozen object instead of failing on it', () => {
    const frozen = deepFreeze(pod());
    const r = validateObject(Pods, frozen);
    expect(r.causes).toEqual([]);
    expect(r.object).not.toBe(frozen);
    expect(frozen.spec!.restartPolicy).toBeUndefined();
  });

  it('can skip the defaults', () => {
    const r = validateObject(Pods, pod(), { defaults: false });
    expect(r.object.spec!.restartPolicy).toBeUndefined();
  });

  it('never throws on junk', () => {
    for (const junk of [null, 42, 'x', [], { metadata: 'x' }, { metadata: {}, spec: null }, { metadata: { labels: [] } }]) {
      expect(() => validateObject(Pods, junk as never)).not.toThrow();
    }
    expect(validateObject(Pods, 42 as never).causes[0]?.reason).toBe('FieldValueTypeInvalid');
  });
});
