import { describe, expect, test } from 'vitest';
import protobuf from 'protobufjs';
import { decodeProtobufObject, encodeProtobufObject, protobufCodec } from './protobuf-codec.js';
import { KIND_OBJECTS } from './testdata/kind-objects.fixture.js';

const roundTrip = (obj: Record<string, unknown>) => decodeProtobufObject(encodeProtobufObject(obj));

describe('every kind round-trips through protobuf to the same JSON', () => {
  test('there is an object for every kind with a protobuf form', () => {
    expect(Object.keys(KIND_OBJECTS).sort()).toEqual(
      protobufCodec()
        .kinds()
        .map((k) => `${k.apiVersion}/${k.kind}`)
        .sort(),
    );
  });

  for (const [kind, obj] of Object.entries(KIND_OBJECTS)) {
    test(`${kind}`, () => {
      expect(roundTrip(obj)).toEqual(obj);
    });
  }

  test('a protobuf body is several times smaller than the JSON of the same object', () => {
    const pod = KIND_OBJECTS['v1/Pod']!;
    expect(encodeProtobufObject(pod).length * 2).toBeLessThan(Buffer.byteLength(JSON.stringify(pod)));
  });
});

describe('the JSON form is the one Go writes for the decoded object', () => {
  test('structs are always written, unset times are null, empty omitempty values are left out', () => {
    const natural = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: '', generation: 0, labels: {} },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 0 }] }] } },
        paused: false,
      },
    };
    expect(roundTrip(natural)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {
        replicas: 0, // a pointer: set to zero is still set
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  test('fields without omitempty are written with their zero value, lists and maps without it as null', () => {
    expect(roundTrip({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: {} })).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {},
      status: { allowed: false },
    });
    expect(roundTrip({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} })).toMatchObject({
      spec: { containers: null },
      status: {},
    });
    expect(roundTrip({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 's' }, spec: { replicas: 0 } })).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 's', creationTimestamp: null },
      spec: {},
      status: { replicas: 0 },
    });
  });

  test('times are RFC 3339 in UTC: Time to the second, MicroTime to the microsecond', () => {
    const lease = roundTrip({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', creationTimestamp: '2024-05-01T14:00:00.75+02:00', deletionTimestamp: '1969-12-31T23:59:59Z' },
      spec: { acquireTime: '2024-05-01T12:00:00.123456789Z', renewTime: '2024-05-01T12:00:00+00:00' },
    });
    expect(lease.metadata.creationTimestamp).toBe('2024-05-01T12:00:00Z');
    expect(lease.metadata.deletionTimestamp).toBe('1969-12-31T23:59:59Z');
    expect(lease.spec).toEqual({ acquireTime: '2024-05-01T12:00:00.123456Z', renewTime: '2024-05-01T12:00:00.000000Z' });
  });

  test('int-or-strings keep their type, quantities and bytes pass through as written', () => {
    const svc = roundTrip({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: '8080' }, { port: 82 }] },
    });
    expect((svc.spec as { ports: { targetPort: unknown }[] }).ports.map((p) => p.targetPort)).toEqual([8080, '8080', 0]);
    const quota = roundTrip({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard: { cpu: '1000m', memory: 1073741824, 'requests.storage': '1.5Gi' } },
    });
    expect((quota.spec as { hard: unknown }).hard).toEqual({ cpu: '1000m', memory: '1073741824', 'requests.storage': '1.5Gi' });
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64');
    const secret = roundTrip({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { bin: bytes } });
    expect(secret.data).toEqual({ bin: bytes });
  });

  test('a RawExtension holding a protobuf object decodes it to JSON', () => {
    const inner = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { a: 'b' } });
    const w = () => protobuf.Writer.create();
    const rawExtension = w()
      .uint32((1 << 3) | 2)
      .bytes(inner)
      .finish();
    const revision = w()
      .uint32((1 << 3) | 2)
      .bytes(new Uint8Array(0))
      .uint32((2 << 3) | 2)
      .bytes(rawExtension)
      .finish(); // metadata, data
    const typeMeta = w()
      .uint32((1 << 3) | 2)
      .string('apps/v1')
      .uint32((2 << 3) | 2)
      .string('ControllerRevision')
      .finish();
    const envelope = w()
      .uint32((1 << 3) | 2)
      .bytes(typeMeta)
      .uint32((2 << 3) | 2)
      .bytes(revision)
      .finish();
    const body = Buffer.concat([Buffer.from('k8s\0', 'binary'), envelope]);
    expect(decodeProtobufObject(body).data).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inner', creationTimestamp: null },
      data: { a: 'b' },
    });
    expect(
      roundTrip({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: null, revision: 1 }).data,
    ).toBeNull();
  });
});
