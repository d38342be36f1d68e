/**
 * kubectl 1.32's protobuf request bodies through a real API server with the protobuf decoder
 * plugged in: each `kubectl create <generator>` stores what it asked for.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigMaps, CronJobs, Deployments, Secrets, Services } from '@converge/core';
import type { Kubectl } from '../testing/kubectl.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { decodeProtobufObject } from './protobuf-codec.js';

let server: TestServer;
let kubectl: Kubectl;

beforeAll(async () => {
  server = await startTestServer({ protobuf: decodeProtobufObject });
  kubectl = server.kubectl();
});

afterAll(async () => {
  await server?.close();
});

describe('kubectl create with protobuf bodies', () => {
  test('create deployment stores the Deployment kubectl built', async () => {
    expect(await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'])).toContain(
      'deployment.apps/web created',
    );
    const d = (await server.registry.get(Deployments, { namespace: 'default', name: 'web' })) as {
      spec: { replicas: number; template: { spec: { containers: { image: string; ports: { containerPort: number }[] }[] } } };
    };
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
    expect(d.spec.template.spec.containers[0]!.ports[0]!.containerPort).toBe(80);
  });

  test('create configmap, secret, service and cronjob store their data, bytes and int-or-strings', async () => {
    await kubectl.ok(['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two']);
    expect((await server.registry.get(ConfigMaps, { namespace: 'default', name: 'cfg' })).data).toEqual({ a: '1', b: 'two' });
    await kubectl.ok(['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cr3t']);
    expect((await server.registry.get(Secrets, { namespace: 'default', name: 'sec' })).data).toEqual({
      password: Buffer.from('s3cr3t').toString('base64'),
    });
    await kubectl.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    const svc = (await server.registry.get(Services, { namespace: 'default', name: 'web' })) as {
      spec: { ports: { port: number; targetPort: unknown }[] };
    };
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
    await kubectl.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']);
    expect(
      ((await server.registry.get(CronJobs, { namespace: 'default', name: 'tick' })) as { spec: { schedule: string } }).spec.schedule,
    ).toBe('*/5 * * * *');
  });

  test('kubectl get shows what the protobuf creates made', async () => {
    const out = await kubectl.ok(['get', 'deployments,configmaps,secrets,services,cronjobs', '-o', 'name']);
    for (const name of ['deployment.apps/web', 'configmap/cfg', 'secret/sec', 'service/web', 'cronjob.batch/tick'])
      expect(out).toContain(name);
  });
});
