import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mutable, StatusError, type KubeObject } from '@converge/core';
import { createBuiltinCatalog, type ResourceCatalog } from '@converge/core/kinds';
import { MemoryBackend, Registry } from '@converge/store';
import { ANONYMOUS_USER } from '../auth/user-info.js';
import { AdmissionChain, type AdmissionRequest } from './admission.js';
import { DefaultTolerationSecondsPlugin } from './default-toleration-seconds.plugin.js';
import { PriorityPlugin } from './priority.plugin.js';
import { ServiceAccountPlugin, SERVICE_ACCOUNT_MOUNT_PATH } from './service-account.plugin.js';

let catalog: ResourceCatalog;
let store: Registry;
let chain: AdmissionChain;
const def = (resource: string, group = '') => catalog.get({ group, version: 'v1', resource })!;

beforeEach(async () => {
  catalog = createBuiltinCatalog();
  store = new Registry({ backend: new MemoryBackend(), catalog });
  chain = new AdmissionChain(
    [new ServiceAccountPlugin({ suffix: () => 'abcde' }), new PriorityPlugin(), new DefaultTolerationSecondsPlugin()],
    { store, catalog },
  );
  await store.create(def('namespaces'), { metadata: { name: 'default' } });
});
afterEach(async () => {
  await store.close();
});

function pod(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'c', image: 'x' }], ...spec },
  };
}

async function admit(obj: KubeObject, operation: AdmissionRequest['operation'] = 'CREATE'): Promise<Record<string, any>> {
  await chain.run({
    operation,
    definition: def('pods'),
    namespace: 'default',
    name: obj.metadata.name!,
    object: obj,
    user: ANONYMOUS_USER,
    dryRun: false,
  });
  return obj['spec'] as Record<string, any>;
}

async function refusal(obj: KubeObject): Promise<StatusError> {
  const err = await admit(obj).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof StatusError)) throw new Error(`expected a StatusError, got ${String(err)}`);
  return err;
}

describe('Priority admission', () => {
  it('gives pods without a class priority 0 and PreemptLowerPriority', async () => {
    const spec = await admit(pod());
    expect(spec['priority']).toBe(0);
    expect(spec['preemptionPolicy']).toBe('PreemptLowerPriority');
    expect(spec['priorityClassName']).toBeUndefined();
  });

  it('takes the value and policy of the named class', async () => {
    await store.create(def('priorityclasses', 'scheduling.k8s.io'), { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' });
    const spec = await admit(pod({ priorityClassName: 'high' }));
    expect(spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
  });

  it('gives pods without a class the global default class', async () => {
    await store.create(def('priorityclasses', 'scheduling.k8s.io'), { metadata: { name: 'usual' }, value: 10, globalDefault: true });
    expect(await admit(pod())).toMatchObject({ priorityClassName: 'usual', priority: 10, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('refuses a missing class, and a priority or policy the pod states itself, with 403', async () => {
    let err = await refusal(pod({ priorityClassName: 'nope' }));
    expect(err.code).toBe(403);
    expect(err.message).toBe('pods "p" is forbidden: no PriorityClass with name nope was found');
    err = await refusal(pod({ priority: 7 }));
    expect(err.message).toBe(
      'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
    err = await refusal(pod({ preemptionPolicy: 'Never' }));
    expect(err.code).toBe(403);
    expect(await admit(pod({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' }))).toMatchObject({ priority: 0 });
  });

  it('keeps the stored priority on an update that leaves it out', async () => {
    await store.create(def('priorityclasses', 'scheduling.k8s.io'), { metadata: { name: 'high' }, value: 1000 });
    const created = pod({ priorityClassName: 'high' });
    await admit(created);
    await store.create(def('pods'), created);
    const update = mutable(await store.get(def('pods'), { namespace: 'default', name: 'p' }));
    delete (update['spec'] as Record<string, unknown>)['priority'];
    delete (update['spec'] as Record<string, unknown>)['preemptionPolicy'];
    expect(await admit(update, 'UPDATE')).toMatchObject({ priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  });
});

describe('DefaultTolerationSeconds admission', () => {
  it('adds the not-ready and unreachable tolerations for 300 seconds', async () => {
    const spec = await admit(pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    expect(spec['tolerations']).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('leaves pods that already tolerate them alone', async () => {
    const own = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }];
    expect((await admit(pod({ tolerations: own })))['tolerations']).toEqual([
      ...own,
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect((await admit(pod({ tolerations: [{ operator: 'Exists' }] })))['tolerations']).toEqual([{ operator: 'Exists' }]);
  });
});

describe('ServiceAccount admission', () => {
  const mount = { name: 'kube-api-access-abcde', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };

  it('mounts the projected API credentials into every container and init container', async () => {
    const spec = await admit(
      pod({
        initContainers: [{ name: 'init', image: 'x' }],
        containers: [
          { name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          { name: 'b', image: 'x' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      }),
    );
    expect(spec['serviceAccountName']).toBe('default');
    expect(spec['initContainers'][0].volumeMounts).toEqual([mount]);
    expect(spec['containers'][0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, mount]);
    expect(spec['containers'][1].volumeMounts).toEqual([mount]);
    expect(spec['volumes']).toEqual([
      { name: 'data', emptyDir: {} },
      {
        name: 'kube-api-access-abcde',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]);
  });

  it('mounts nothing when the pod or its ServiceAccount opts out', async () => {
    expect((await admit(pod({ automountServiceAccountToken: false })))['volumes']).toBeUndefined();
    await store.create(def('serviceaccounts'), { metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false });
    expect((await admit(pod({ serviceAccountName: 'quiet' })))['volumes']).toBeUndefined();
    expect((await admit(pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true })))['volumes']).toHaveLength(1);
  });

  it("keeps a container's own mount at the credentials path and leaves mirror pods alone", async () => {
    const own = { name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    const spec = await admit(
      pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [own] }], volumes: [{ name: 'mine', emptyDir: {} }] }),
    );
    expect(spec['containers'][0].volumeMounts).toEqual([own]);
    expect(spec['volumes']).toEqual([{ name: 'mine', emptyDir: {} }]);
    expect((await admit(pod({}, { annotations: { 'kubernetes.io/config.mirror': 'x' } })))['volumes']).toBeUndefined();
  });

  it('produces pods the registry accepts', async () => {
    const obj = pod();
    await admit(obj);
    const stored = await store.create(def('pods'), obj);
    expect((stored['spec'] as Record<string, any>)['volumes'][0].name).toBe('kube-api-access-abcde');
  });
});
