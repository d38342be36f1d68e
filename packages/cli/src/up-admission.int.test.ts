/**
 * `converge up` started in this process (`startCluster`): the built-in controllers run beside
 * the API server and write to its registry without HTTP, yet their writes pass the server's
 * admission chain, as a kube-controller-manager's do against kube-apiserver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployments, Pods, PriorityClasses, RemoteObjectStore, type Deployment, type Pod } from '@converge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from './up.command.js';

let dataDir: string;
let cluster: RunningCluster;
let client: RemoteObjectStore;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-up-admission-'));
  cluster = await startCluster({
    store: 'memory',
    etcdBinary: 'etcd',
    insecureHttp: false,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
  });
  client = await RemoteObjectStore.fromFile(cluster.kubeconfigPath);
});
afterAll(async () => {
  client?.close();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('converge up: writes of the in-process controllers pass admission', () => {
  it("gives a Deployment's pods, created by the ReplicaSet controller, the default tolerations, service account and priority", async () => {
    await client.create(PriorityClasses, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'web-critical' },
      value: 4200,
    } as never);
    // Watch first, so no pod the controller creates is missed; resolves with both pods.
    const pods = new Promise<Pod[]>((resolve, reject) => {
      const seen: Pod[] = [];
      const sub = client.watch(Pods, { namespace: 'default', labelSelector: 'app=web' }).subscribe({
        next: (e) => {
          if (e.type === 'ADDED') seen.push(e.object);
          if (seen.length < 2) return;
          sub.unsubscribe();
          resolve(seen);
        },
        error: reject,
      });
    });
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { priorityClassName: 'web-critical', containers: [{ name: 'app', image: 'registry.example/web:1' }] },
        },
      },
    };
    await client.create(Deployments, deployment);
    for (const pod of await pods) {
      expect(pod.metadata.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
      expect(pod.spec?.tolerations).toEqual(
        expect.arrayContaining([
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ]),
      );
      expect(pod.spec?.serviceAccountName).toBe('default');
      expect(pod.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-'))).toBe(true);
      expect(pod.spec?.priorityClassName).toBe('web-critical');
      expect(pod.spec?.priority).toBe(4200);
      expect(pod.spec?.preemptionPolicy).toBe('PreemptLowerPriority');
    }
  });
});
