/**
 * Patch costs on small objects: strategic merge, merge and JSON patches of a Pod, managedFields
 * bookkeeping of an update, and server-side applies of a Deployment (first apply, re-apply).
 * Figures are microseconds per operation (lower is better).
 */
import { deepFreeze, Deployments, Pods, type KubeObject } from '../packages/core/src/index.js';
import { jsonSchemaOf } from '../packages/core/src/kinds/index.js';
import { applyPatch, updateManagedFields } from '../packages/store/src/index.js';
import { benchmark, opsPerSecond, report } from './kit.js';

const podSchema = jsonSchemaOf(Pods);
const deploySchema = jsonSchemaOf(Deployments);
const T = '2025-01-01T00:00:00Z';

const pod = deepFreeze({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'default',
    uid: 'u',
    resourceVersion: '5',
    labels: { app: 'web', tier: 'fe' },
    annotations: { a: 'b' },
  },
  spec: {
    nodeName: 'n1',
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        resources: { requests: { cpu: '100m' } },
      },
      { name: 'side', image: 'busybox', args: ['sleep', '3600'] },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
}) as KubeObject;

const deployConfig = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
    },
  },
});

async function microseconds(id: string, fn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < 2000; i++) fn(i);
  const ops = await opsPerSecond(fn, 700);
  report(id, 1e6 / ops, 'us/op');
}

benchmark(
  ['patch.strategic.pod', 'patch.merge.pod', 'patch.json.pod', 'patch.managedfields.update', 'patch.apply.create', 'patch.apply.reapply'],
  async () => {
    await microseconds('patch.strategic.pod', (i) =>
      applyPatch({
        schema: podSchema,
        current: pod,
        patch: {
          type: 'strategic',
          body: { metadata: { labels: { n: String(i) } }, spec: { containers: [{ name: 'web', image: `nginx:${i}` }] } },
        },
        time: T,
        apiVersion: 'v1',
      }),
    );
    await microseconds('patch.merge.pod', (i) =>
      applyPatch({
        schema: podSchema,
        current: pod,
        patch: { type: 'merge', body: { metadata: { labels: { n: String(i) } } } },
        time: T,
        apiVersion: 'v1',
      }),
    );
    await microseconds('patch.json.pod', (i) =>
      applyPatch({
        schema: podSchema,
        current: pod,
        patch: { type: 'json', body: [{ op: 'replace', path: '/spec/containers/0/image', value: `nginx:${i}` }] },
        time: T,
        apiVersion: 'v1',
      }),
    );
    const created = deepFreeze(
      updateManagedFields({
        schema: podSchema,
        old: undefined,
        new: pod,
        manager: 'kubectl-create',
        time: T,
        apiVersion: 'v1',
        ignoredFields: ['status'],
      }),
    );
    await microseconds('patch.managedfields.update', (i) => {
      const next = applyPatch({
        schema: podSchema,
        current: created,
        patch: { type: 'merge', body: { metadata: { labels: { n: String(i) } } } },
        time: T,
        apiVersion: 'v1',
      });
      return updateManagedFields({
        schema: podSchema,
        old: created,
        new: next,
        manager: 'kubectl-label',
        time: T,
        apiVersion: 'v1',
        ignoredFields: ['status'],
      });
    });
    await microseconds('patch.apply.create', (i) =>
      applyPatch({
        schema: deploySchema,
        current: undefined,
        patch: { type: 'apply', body: deployConfig(i % 5) },
        fieldManager: 'kubectl',
        time: T,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        ignoredFields: ['status'],
      }),
    );
    const live = deepFreeze({
      ...applyPatch({
        schema: deploySchema,
        current: undefined,
        patch: { type: 'apply', body: deployConfig(1) },
        fieldManager: 'kubectl',
        time: T,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        ignoredFields: ['status'],
      }),
    });
    await microseconds('patch.apply.reapply', (i) =>
      applyPatch({
        schema: deploySchema,
        current: live,
        patch: { type: 'apply', body: deployConfig(i % 5) },
        fieldManager: 'kubectl',
        time: T,
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        ignoredFields: ['status'],
      }),
    );
  },
);
