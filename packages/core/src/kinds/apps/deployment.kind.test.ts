import { describe, expect, it } from 'vitest';
import { invalid } from '../../api/errors.js';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { Deployments, type Deployment } from './deployment.kind.js';
import { ReplicaSets, type ReplicaSet } from './replicaset.kind.js';
import { StatefulSets, type StatefulSet } from './statefulset.kind.js';
import { DaemonSets, type DaemonSet } from './daemonset.kind.js';
import { Jobs } from '../batch/job.kind.js';
import { CronJobs } from '../batch/cronjob.kind.js';
import { ReplicationControllers } from '../core/replicationcontroller.kind.js';
import { Pods } from '../core/pod.kind.js';
import type { ResourceDefinition } from '../../api/resource-type.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
const deployment = (spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(template), ...spec },
});
const causesOf = (d: Deployment, old?: Deployment) =>
  validateObject(Deployments, d, old ? { old } : {}).causes.map((c) => `${c.field}: ${c.message}`);

describe('Deployment', () => {
  it('defaults replicas, strategy, history, deadline and the pod template', () => {
    const { object, causes } = validateObject(Deployments, deployment());
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(object.spec!.template.spec!.restartPolicy).toBe('Always');
    expect(object.spec!.template.spec!.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
  });

  it('rejects negative replicas with the message kubectl prints', () => {
    const { causes } = validateObject(Deployments, deployment({ replicas: -1 }));
    expect(invalid('Deployment', 'apps', 'web', causes).message).toBe(
      'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('requires a selector that matches the template labels', () => {
    expect(causesOf(deployment({ selector: undefined }))).toEqual(['spec.selector: Required value']);
    expect(causesOf(deployment({ selector: { matchLabels: { app: 'other' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: "map[string]string{\\"app\\":\\"web\\"}": `selector` does not match template `labels`',
    ]);
    expect(causesOf(deployment({ selector: {} }))).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it('checks the rolling update parameters', () => {
    expect(causesOf(deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(causesOf(deployment({ strategy: { rollingUpdate: { maxSurge: '150%' } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: "150%": must not be greater than 100%',
    ]);
    expect(causesOf(deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it('requires restartPolicy Always in the template and an image in each container', () => {
    const d = deployment();
    d.spec!.template.spec!.restartPolicy = 'Never';
    d.spec!.template.spec!.containers[0]!.image = '';
    expect(causesOf(d)).toEqual([
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('keeps spec.selector immutable but lets the template change', () => {
    const old = deepFreeze(validateObject(Deployments, deployment()).object);
    const next = structuredClone(old) as Deployment;
    next.spec!.template.spec!.containers[0]!.image = 'nginx:1.28';
    expect(causesOf(next, old)).toEqual([]);
    next.spec!.selector = { matchLabels: { app: 'web', tier: 'fe' } };
    next.spec!.template.metadata!.labels!.tier = 'fe';
    expect(causesOf(next, old)).toEqual(['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable']);
  });

  it('shows READY, UP-TO-DATE, AVAILABLE, AGE and the wide columns', () => {
    const d = {
      ...validateObject(Deployments, deployment({ replicas: 3 })).object,
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    d.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    const cells = Deployments.printerColumns!.map((c) => [c.name, c.value!(d, Date.parse('2024-01-03T00:00:00Z')), c.priority ?? 0]);
    expect(cells).toEqual([
      ['Ready', '2/3', 0],
      ['Up-to-date', 3, 0],
      ['Available', 2, 0],
      ['Age', '2d', 0],
      ['Containers', 'app', 1],
      ['Images', 'nginx:1.27', 1],
      ['Selector', 'app=web', 1],
    ]);
  });
});

describe('ReplicaSet, StatefulSet and DaemonSet', () => {
  it('default and validate a ReplicaSet, with status.replicas selectable', () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
      status: { replicas: 2 },
    };
    const r = validateObject(ReplicaSets, rs);
    expect(r.causes).toEqual([]);
    expect(r.object.spec!.replicas).toBe(1);
    expect(ReplicaSets.strategy!.selectableFields!['status.replicas']!(r.object)).toBe('2');
  });

  it('default a StatefulSet and forbid changes outside the updatable fields', () => {
    const sts: StatefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
    };
    const { object, causes } = validateObject(StatefulSets, sts);
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    const old = deepFreeze(object);
    const next = structuredClone(old) as StatefulSet;
    next.spec!.replicas = 5;
    expect(validateObject(StatefulSets, next, { old }).causes).toEqual([]);
    next.spec!.serviceName = 'other';
    expect(validateObject(StatefulSets, next, { old }).causes.map((c) => c.message)).toEqual([
      "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('accept a StatefulSet whose containers mount a volume claim template, and still reject undeclared mounts', () => {
    const withMounts = (mounts: string[]): StatefulSet => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'shop-db' },
      spec: {
        serviceName: 'shop-db',
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'db', image: 'postgres:16', volumeMounts: mounts.map((name, i) => ({ name, mountPath: `/m${i}` })) }],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    });
    expect(validateObject(StatefulSets, withMounts(['data'])).causes).toEqual([]);
    expect(validateObject(StatefulSets, withMounts(['data', 'nope'])).causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.template.spec.containers[0].volumeMounts[1].name: Not found: "nope"',
    ]);
  });

  it('default a DaemonSet update strategy', () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(template) },
    };
    const { object, causes } = validateObject(DaemonSets, ds);
    expect(causes).toEqual([]);
    expect(object.spec!.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });
});

describe('limits-to-requests defaulting', () => {
  const limited = () => ({
    metadata: { labels: { app: 'web' } },
    spec: {
      restartPolicy: 'Always',
      containers: [
        { name: 'app', image: 'nginx:1.27', resources: { limits: { cpu: '200m', memory: '512Mi' }, requests: { cpu: '100m' } } },
      ],
      initContainers: [{ name: 'init', image: 'busybox:1', resources: { limits: { memory: '64Mi' } } }],
    },
  });
  const selector = { matchLabels: { app: 'web' } };
  const cases: [string, ResourceDefinition<any>, () => any, (o: any) => any][] = [
    [
      'Deployment',
      Deployments,
      () => ({ metadata: { name: 'd', namespace: 'x' }, spec: { selector, template: limited() } }),
      (o) => o.spec.template.spec,
    ],
    [
      'ReplicaSet',
      ReplicaSets,
      () => ({ metadata: { name: 'r', namespace: 'x' }, spec: { selector, template: limited() } }),
      (o) => o.spec.template.spec,
    ],
    [
      'StatefulSet',
      StatefulSets,
      () => ({ metadata: { name: 's', namespace: 'x' }, spec: { serviceName: 's', selector, template: limited() } }),
      (o) => o.spec.template.spec,
    ],
    [
      'DaemonSet',
      DaemonSets,
      () => ({ metadata: { name: 'ds', namespace: 'x' }, spec: { selector, template: limited() } }),
      (o) => o.spec.template.spec,
    ],
    [
      'ReplicationController',
      ReplicationControllers,
      () => ({ metadata: { name: 'rc', namespace: 'x' }, spec: { selector: { app: 'web' }, template: limited() } }),
      (o) => o.spec.template.spec,
    ],
    [
      'Job',
      Jobs,
      () => {
        const t = limited();
        t.spec.restartPolicy = 'Never';
        return { metadata: { name: 'j', namespace: 'x', uid: '0a7c5d1e-0000-4000-8000-000000000001' }, spec: { template: t } };
      },
      (o) => o.spec.template.spec,
    ],
    [
      'CronJob',
      CronJobs,
      () => {
        const t = limited();
        t.spec.restartPolicy = 'Never';
        return { metadata: { name: 'cj', namespace: 'x' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: t } } } };
      },
      (o) => o.spec.jobTemplate.spec.template.spec,
    ],
  ];

  for (const [kind, def, make, specOf] of cases) {
    it(`leaves the requests of a ${kind} pod template as written`, () => {
      const { object, causes } = validateObject(def, make());
      expect(causes).toEqual([]);
      expect(specOf(object).containers[0].resources).toEqual({ limits: { cpu: '200m', memory: '512Mi' }, requests: { cpu: '100m' } });
      expect(specOf(object).initContainers[0].resources).toEqual({ limits: { memory: '64Mi' } });
    });
  }

  it('copies limits to missing requests on Pods, containers and init containers alike', () => {
    const { object } = validateObject(Pods, { metadata: { name: 'p', namespace: 'x' }, spec: limited().spec } as never);
    expect(object.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '100m', memory: '512Mi' });
    expect(object.spec!.initContainers![0]!.resources!.requests).toEqual({ memory: '64Mi' });
  });
});
