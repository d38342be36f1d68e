import { describe, expect, test } from 'vitest';
import { StatusError } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { decodeProtobuf, decodeProtobufObject, encodeProtobufObject, protobufCodec, PROTOBUF_MAGIC } from './protobuf-codec.js';
import { KUBECTL_BODIES } from './testdata/kubectl-bodies.fixture.js';

const fromBase64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('bodies kubectl 1.32 sends', () => {
  for (const [name, rec] of Object.entries(KUBECTL_BODIES)) {
    test(`${name}: \`${rec.command}\` decodes to the JSON form of the same object`, () => {
      expect(decodeProtobufObject(fromBase64(rec.protobuf))).toEqual(rec.json);
    });
  }

  test('every recorded body starts with the k8s\\0 magic and re-encodes to a body that decodes the same', () => {
    for (const rec of Object.values(KUBECTL_BODIES)) {
      const body = fromBase64(rec.protobuf);
      expect([...body.subarray(0, 4)]).toEqual([...PROTOBUF_MAGIC]);
      const again = encodeProtobufObject(decodeProtobufObject(body));
      expect(decodeProtobufObject(again)).toEqual(rec.json);
    }
  });

  test('a body handed over as a plain Uint8Array decodes the same as a Buffer', () => {
    const body = fromBase64(KUBECTL_BODIES.deployment!.protobuf);
    const plain = new Uint8Array(body.length);
    plain.set(body);
    expect(decodeProtobufObject(plain)).toEqual(KUBECTL_BODIES.deployment!.json);
  });

  test('the JSON form of a recorded body encodes to a body that decodes back to it', () => {
    for (const rec of Object.values(KUBECTL_BODIES)) {
      expect(decodeProtobufObject(encodeProtobufObject(rec.json))).toEqual(rec.json);
    }
  });
});

describe('coverage', () => {
  test('every built-in kind the catalog serves has a protobuf form', () => {
    const kinds = new Set(
      protobufCodec()
        .kinds()
        .map((k) => `${k.apiVersion}/${k.kind}`),
    );
    const missing = createBuiltinCatalog()
      .all()
      .map((d) => `${d.group ? `${d.group}/` : ''}${d.version}/${d.kind}`)
      .filter((k) => !kinds.has(k));
    expect(missing).toEqual([]);
  });

  test('the kinds the brief names all decode', () => {
    const names = protobufCodec()
      .kinds()
      .map((k) => `${k.apiVersion}/${k.kind}`);
    for (const k of [
      'v1/Pod',
      'v1/Namespace',
      'v1/Node',
      'v1/Service',
      'v1/Endpoints',
      'v1/ConfigMap',
      'v1/Secret',
      'v1/ServiceAccount',
      'v1/Event',
      'v1/PersistentVolume',
      'v1/PersistentVolumeClaim',
      'v1/ReplicationController',
      'v1/ResourceQuota',
      'v1/LimitRange',
      'v1/Binding',
      'apps/v1/Deployment',
      'apps/v1/ReplicaSet',
      'apps/v1/StatefulSet',
      'apps/v1/DaemonSet',
      'apps/v1/ControllerRevision',
      'batch/v1/Job',
      'batch/v1/CronJob',
      'coordination.k8s.io/v1/Lease',
      'discovery.k8s.io/v1/EndpointSlice',
      'events.k8s.io/v1/Event',
      'policy/v1/PodDisruptionBudget',
      'policy/v1/Eviction',
      'autoscaling/v1/Scale',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'scheduling.k8s.io/v1/PriorityClass',
      'networking.k8s.io/v1/Ingress',
      'networking.k8s.io/v1/IngressClass',
      'networking.k8s.io/v1/NetworkPolicy',
      'storage.k8s.io/v1/StorageClass',
      'apiregistration.k8s.io/v1/APIService',
      'apiextensions.k8s.io/v1/CustomResourceDefinition',
      'authentication.k8s.io/v1/TokenRequest',
      'authentication.k8s.io/v1/TokenReview',
      'authentication.k8s.io/v1/SelfSubjectReview',
      'authorization.k8s.io/v1/SelfSubjectAccessReview',
      'authorization.k8s.io/v1/SelfSubjectRulesReview',
      'authorization.k8s.io/v1/SubjectAccessReview',
    ]) {
      expect(names).toContain(k);
    }
  });
});

function expectBadRequest(fn: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StatusError);
  const e = caught as StatusError;
  expect(e.code).toBe(400);
  expect(e.reason).toBe('BadRequest');
  if (message) expect(e.message).toMatch(message);
}

describe('DeleteOptions', () => {
  test('decode under any group version, and are refused where an object is required', () => {
    const body = encodeProtobufObject({
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      dryRun: ['All'],
    });
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      dryRun: ['All'],
    });
    expectBadRequest(() => decodeProtobufObject(body), /not an object with metadata/);
  });
});
