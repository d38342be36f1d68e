import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { ConfigMaps, type ConfigMap } from './configmap.kind.js';
import { Namespaces, type Namespace } from './namespace.kind.js';
import { Secrets, type Secret } from './secret.kind.js';
import { Nodes, nodeStatus, type Node } from './node.kind.js';
import { Events, type Event } from './event.kind.js';

describe('ConfigMap', () => {
  const cm = (data: Record<string, string>, immutable?: boolean): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'default' },
    data,
    ...(immutable ? { immutable } : {}),
  });

  it('checks data keys', () => {
    expect(validateObject(ConfigMaps, cm({ 'a/b': 'x' })).causes[0]).toMatchObject({ field: 'data', reason: 'FieldValueInvalid' });
    expect(validateObject(ConfigMaps, cm({ 'app.properties': 'x' })).causes).toEqual([]);
  });

  it('refuses to change the data of an immutable ConfigMap', () => {
    const old = deepFreeze(cm({ a: '1' }, true));
    expect(validateObject(ConfigMaps, cm({ a: '2' }, true), { old }).causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(validateObject(ConfigMaps, cm({ a: '1' }), { old }).causes.map((c) => c.field)).toEqual(['immutable']);
    expect(validateObject(ConfigMaps, cm({ a: '2' }), { old: deepFreeze(cm({ a: '1' })) }).causes).toEqual([]);
  });

  it('shows the number of keys', () => {
    expect(ConfigMaps.printerColumns![0]!.value!(cm({ a: '1', b: '2' }), 0)).toBe(2);
  });
});

describe('Secret', () => {
  const secret = (s: Partial<Secret>): Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'default' },
    ...s,
  });

  it('defaults the type to Opaque and merges stringData into data', () => {
    const { object, causes } = validateObject(Secrets, secret({ stringData: { password: 'hunter2' } }));
    expect(causes).toEqual([]);
    expect(object.type).toBe('Opaque');
    expect(object.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(object.stringData).toBeUndefined();
    expect(Secrets.strategy!.selectableFields!.type!(object)).toBe('Opaque');
  });

  it('requires the keys of typed secrets and refuses to change the type', () => {
    expect(
      validateObject(Secrets, secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })).causes.map(
        (c) => `${c.field}: ${c.message}`,
      ),
    ).toEqual(['data[tls.key]: Required value']);
    const old = deepFreeze(secret({ type: 'Opaque' }));
    expect(validateObject(Secrets, secret({ type: 'other' }), { old }).causes.map((c) => c.field)).toEqual(['type']);
  });
});

describe('Namespace', () => {
  it('defaults the phase to Active, adds the name label and the kubernetes finalizer', () => {
    const { object, causes } = validateObject(Namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
    } as Namespace);
    expect(causes).toEqual([]);
    expect(object.status?.phase).toBe('Active');
    expect(object.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(object.spec?.finalizers).toEqual(['kubernetes']);
    expect(Namespaces.strategy!.selectableFields!['status.phase']!(object)).toBe('Active');
  });

  it('uses DNS-1123 labels for names and refuses a namespace field', () => {
    expect(validateObject(Namespaces, { metadata: { name: 'a.b' } } as Namespace).causes[0]?.field).toBe('metadata.name');
    expect(
      validateObject(Namespaces, { metadata: { name: 'a', namespace: 'x' } } as Namespace).causes.map((c) => `${c.field}: ${c.message}`),
    ).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('Node', () => {
  const node = (n: Partial<Node>): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    ...n,
  });

  it('validates taints', () => {
    expect(validateObject(Nodes, node({ spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } })).causes.map((c) => c.message)).toEqual([
      'Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('prints STATUS, ROLES and VERSION', () => {
    const n = node({
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } as never },
    });
    expect(nodeStatus(n)).toBe('Ready,SchedulingDisabled');
    const cells = Nodes.printerColumns!.slice(0, 4).map((c) => c.value!(n, 0));
    expect(cells).toEqual(['Ready,SchedulingDisabled', 'control-plane', '<unknown>', 'v1.32.0']);
    expect(Nodes.strategy!.selectableFields!['spec.unschedulable']!(n)).toBe('true');
  });
});

describe('Event', () => {
  it('selects events by involved object, reason, source and type', () => {
    const e: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
      reason: 'Scheduled',
      type: 'Normal',
      source: { component: 'scheduler' },
    };
    expect(validateObject(Events, e).causes).toEqual([]);
    const sel = Events.strategy!.selectableFields!;
    expect(['involvedObject.kind', 'involvedObject.name', 'involvedObject.uid', 'reason', 'source', 'type'].map((k) => sel[k]!(e))).toEqual(
      ['Pod', 'web', 'u1', 'Scheduled', 'scheduler', 'Normal'],
    );
    expect(Object.keys(sel)).toEqual(
      expect.arrayContaining([
        'involvedObject.namespace',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reportingComponent',
      ]),
    );
  });

  it('refuses an involved object in another namespace', () => {
    const e: Event = { metadata: { name: 'e', namespace: 'a' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'b' } };
    expect(validateObject(Events, e).causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'involvedObject.namespace: Invalid value: "b": does not match event.namespace',
    ]);
  });
});
