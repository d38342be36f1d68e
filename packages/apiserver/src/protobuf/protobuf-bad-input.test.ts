import { describe, expect, test } from 'vitest';
import protobuf from 'protobufjs';
import { StatusError } from '@converge/core';
import { decodeProtobuf, decodeProtobufObject, encodeProtobufObject } from './protobuf-codec.js';
import { kubeProtoSchema, UNKNOWN_MESSAGE } from './proto-schema.js';
import { KUBECTL_BODIES } from './testdata/kubectl-bodies.fixture.js';

function badRequestOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).reason).toBe('BadRequest');
    return err as StatusError;
  }
  throw new Error('expected a BadRequest');
}

/** Builds a `k8s\0` body around a hand-made runtime.Unknown. */
function envelope(fields: {
  apiVersion?: string;
  kind?: string;
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}): Buffer {
  const w = protobuf.Writer.create();
  if (fields.apiVersion !== undefined || fields.kind !== undefined) {
    const tm = protobuf.Writer.create();
    if (fields.apiVersion !== undefined) tm.uint32((1 << 3) | 2).string(fields.apiVersion);
    if (fields.kind !== undefined) tm.uint32((2 << 3) | 2).string(fields.kind);
    w.uint32((1 << 3) | 2).bytes(tm.finish());
  }
  if (fields.raw) w.uint32((2 << 3) | 2).bytes(fields.raw);
  if (fields.contentEncoding !== undefined) w.uint32((3 << 3) | 2).string(fields.contentEncoding);
  if (fields.contentType !== undefined) w.uint32((4 << 3) | 2).string(fields.contentType);
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), w.finish()]);
}

const deploymentBody = Buffer.from(KUBECTL_BODIES.deployment!.protobuf, 'base64');

describe('a broken envelope is a 400', () => {
  test('an empty body, a short body and a body without the magic are refused', () => {
    for (const body of [Buffer.alloc(0), Buffer.from('k8s'), Buffer.from('{"kind":"Pod"}'), Buffer.from('K8S\0abc')]) {
      expect(badRequestOf(() => decodeProtobufObject(body)).message).toMatch(/does not appear to be a protobuf message/);
    }
  });

  test('the magic alone has no kind', () => {
    expect(badRequestOf(() => decodeProtobufObject(Buffer.from('k8s\0', 'binary'))).message).toMatch(/'Kind' is missing/);
  });

  test('an envelope without apiVersion is refused', () => {
    expect(badRequestOf(() => decodeProtobufObject(envelope({ kind: 'Pod' }))).message).toMatch(/'apiVersion' is missing/);
  });

  test('a truncated envelope is refused', () => {
    for (let n = 5; n < deploymentBody.length; n += 7) badRequestOf(() => decodeProtobufObject(deploymentBody.subarray(0, n)));
  });

  test('garbage after the magic is refused', () => {
    badRequestOf(() =>
      decodeProtobufObject(
        Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]),
      ),
    );
    badRequestOf(() => decodeProtobufObject(Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0x0f])])));
  });

  test('a compressed or foreign content type is refused', () => {
    expect(
      badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'Pod', raw: Buffer.alloc(0), contentEncoding: 'gzip' })))
        .message,
    ).toMatch(/content encoding "gzip"/);
    expect(
      badRequestOf(() =>
        decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'Pod', raw: Buffer.alloc(0), contentType: 'application/cbor' })),
      ).message,
    ).toMatch(/content type/);
  });
});

describe('unknown kinds and undecodable objects are a 400', () => {
  test('a kind without a protobuf form names kind and version', () => {
    expect(
      badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'example.com/v1', kind: 'Widget', raw: Buffer.alloc(0) }))).message,
    ).toBe('no kind "Widget" is registered for version "example.com/v1" in the protobuf codec');
    badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'v2', kind: 'Pod', raw: Buffer.alloc(0) })));
    badRequestOf(() => encodeProtobufObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {} }));
  });

  test('an object body that is not protobuf is refused with the kind in the message', () => {
    const raw = Buffer.from([0x0a, 0x20, 0x01]); // metadata, length 32, but only one byte follows
    expect(badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'apps/v1', kind: 'Deployment', raw }))).message).toMatch(
      /unable to decode Deployment/,
    );
  });

  test('a field with the wrong wire type is refused, as Go refuses it', () => {
    // ObjectMeta.name (field 1) sent as a varint instead of a string.
    const meta = protobuf.Writer.create()
      .uint32((1 << 3) | 0)
      .uint32(7)
      .finish();
    const raw = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(meta)
      .finish();
    expect(badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'ConfigMap', raw }))).message).toMatch(
      /wrong wire type 0 for field 1/,
    );
  });

  test('a string whose length runs past its message is refused', () => {
    // ObjectMeta { name: length 9, but the message holds 3 bytes }, then more ConfigMap fields after it.
    const meta = Buffer.from([0x0a, 0x09, 0x61]);
    const raw = Buffer.concat([
      protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(meta)
        .finish(),
      protobuf.Writer.create()
        .uint32((2 << 3) | 2)
        .bytes(Buffer.from([0x0a, 0x01, 0x61, 0x12, 0x01, 0x62]))
        .finish(),
    ]);
    expect(badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'ConfigMap', raw }))).message).toMatch(/runs past/);
  });

  test('a RawExtension that holds neither JSON nor a protobuf object is refused', () => {
    const rawExt = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(Buffer.from('not json'))
      .finish();
    const raw = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(rawExt)
      .finish(); // ControllerRevision.data
    expect(badRequestOf(() => decodeProtobufObject(envelope({ apiVersion: 'apps/v1', kind: 'ControllerRevision', raw }))).message).toMatch(
      /RawExtension/,
    );
  });

  test('RawExtensions nesting protobuf objects without end are refused', () => {
    let inner: Buffer = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    for (let i = 0; i < 20; i++) {
      const rawExt = protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(inner)
        .finish();
      const raw = protobuf.Writer.create()
        .uint32((2 << 3) | 2)
        .bytes(rawExt)
        .finish();
      inner = envelope({ apiVersion: 'apps/v1', kind: 'ControllerRevision', raw });
    }
    expect(badRequestOf(() => decodeProtobufObject(inner)).message).toMatch(/nested too deeply/);
  });

  test('an encoder given a field of the wrong shape refuses it with the field path', () => {
    expect(
      badRequestOf(() => encodeProtobufObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { replicas: 'three' } }))
        .message,
    ).toMatch(/spec\.replicas: expected int32, got string/);
    expect(
      badRequestOf(() => encodeProtobufObject({ apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: 'yesterday' } })).message,
    ).toMatch(/metadata\.creationTimestamp: expected an RFC 3339 time/);
    badRequestOf(() => encodeProtobufObject({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: { name: 'x' } } }));
  });
});

describe('robustness', () => {
  test('randomly corrupted kubectl bodies either decode or are a 400, never another error', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bodies = Object.values(KUBECTL_BODIES).map((r) => Buffer.from(r.protobuf, 'base64'));
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const body = Buffer.from(bodies[rand(bodies.length)]!);
      const flips = 1 + rand(4);
      for (let f = 0; f < flips; f++) body[4 + rand(body.length - 4)] = rand(256);
      try {
        const obj = decodeProtobuf(body);
        expect(typeof obj.kind).toBe('string');
        decoded++;
      } catch (err) {
        expect(err).toBeInstanceOf(StatusError);
        expect((err as StatusError).code).toBe(400);
        refused++;
      }
    }
    expect(decoded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  test('fields the schema does not know are skipped, as a newer client may send them', () => {
    const cm = encodeProtobufObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
    const decoded = decodeProtobuf(cm);
    const unknown = kubeProtoSchema().type(UNKNOWN_MESSAGE).decode(cm.subarray(4)) as unknown as { raw: Uint8Array };
    // Field 99 (a string) and field 100 (a varint) appended to the ConfigMap message.
    const extra = protobuf.Writer.create()
      .uint32((99 << 3) | 2)
      .string('future')
      .uint32((100 << 3) | 0)
      .uint32(5)
      .finish();
    const body = envelope({ apiVersion: 'v1', kind: 'ConfigMap', raw: Buffer.concat([unknown.raw, extra]) });
    expect(decodeProtobuf(body)).toEqual(decoded);
  });

  test('an envelope carrying JSON (contentType application/json) decodes it with the envelope type', () => {
    const body = envelope({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      raw: Buffer.from('{"metadata":{"name":"j"},"data":{"k":"v"}}'),
      contentType: 'application/json',
    });
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { k: 'v' } });
    badRequestOf(() =>
      decodeProtobufObject(envelope({ apiVersion: 'v1', kind: 'ConfigMap', raw: Buffer.from('{nope'), contentType: 'application/json' })),
    );
  });
});
