import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { Pods, podSummary, type Pod } from './pod.kind.js';
import { defaultPullPolicy } from './pod.defaults.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
});

const causesOf = (p: Pod, old?: Pod) => validateObject(Pods, p, old ? { old } : {}).causes.map((c) => `${c.field}: ${c.message}`);

describe('Pod defaults', () => {
  it('fill in the pod-level defaults Kubernetes applies', () => {
    const { object, causes } = validateObject(Pods, pod());
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
    });
    expect(object.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('fill in container defaults', () => {
    const { object } = validateObject(
      Pods,
      pod({ containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } }] }),
    );
    const c = object.spec!.containers[0]!;
    expect(c).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
    });
    expect(c.ports![0]!.protocol).toBe('TCP');
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('pull latest and untagged images always, others if not present', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/nginx')).toBe('Always');
    expect(defaultPullPolicy('registry:5000/nginx:1.2')).toBe('IfNotPresent');
    expect(defaultPullPolicy('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  it('copy limits to missing requests and derive the QoS class', () => {
    const { object } = validateObject(
      Pods,
      pod({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }),
    );
    expect(object.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(object.status!.qosClass).toBe('Guaranteed');
  });

  it('make an empty volume an emptyDir and give config volumes their default mode', () => {
    const { object } = validateObject(Pods, pod({ volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }] }));
    expect(object.spec!.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
    ]);
  });
});

describe('Pod validation', () => {
  it('requires containers, names and images', () => {
    expect(causesOf(pod({ containers: [] }))).toEqual(['spec.containers: Required value']);
    expect(causesOf(pod({ containers: [{ name: 'app' }] }))).toEqual(['spec.containers[0].image: Required value']);
    expect(causesOf({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a', image: 'x' }] } })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('rejects duplicate container names and bad names', () => {
    expect(
      causesOf(
        pod({
          containers: [
            { name: 'a', image: 'x' },
            { name: 'a', image: 'y' },
          ],
        }),
      ),
    ).toEqual(['spec.containers[1].name: Duplicate value: "a"']);
    expect(causesOf(pod({ containers: [{ name: 'A_b', image: 'x' }] }))[0]).toMatch(
      /^spec\.containers\[0\]\.name: Invalid value: "A_b": a lowercase RFC 1123 label/,
    );
  });

  it('checks ports, env, mounts and resources', () => {
    const c = causesOf(
      pod({
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [
          {
            name: 'a',
            image: 'x',
            ports: [{ containerPort: 0 }],
            env: [
              { name: '1BAD', value: 'v' },
              { name: 'OK', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            volumeMounts: [{ name: 'missing', mountPath: '/m' }],
            resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
          },
        ],
      }),
    );
    expect(c).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      expect.stringMatching(/^spec\.containers\[0\]\.env\[0\]\.name: Invalid value: "1BAD": a valid environment variable name/),
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });

  it('rejects a probe without a handler and a liveness success threshold other than 1', () => {
    expect(
      causesOf(
        pod({
          containers: [{ name: 'a', image: 'x', livenessProbe: { successThreshold: 2, exec: { command: ['true'] } }, readinessProbe: {} }],
        }),
      ),
    ).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    ]);
  });

  it('rejects a volume with two sources and duplicate volume names', () => {
    expect(
      causesOf(
        pod({
          volumes: [
            { name: 'v', emptyDir: {}, hostPath: { path: '/x' } },
            { name: 'v', emptyDir: {} },
          ],
        }),
      ),
    ).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1].name: Duplicate value: "v"',
    ]);
  });

  it('checks tolerations', () => {
    expect(
      causesOf(
        pod({
          tolerations: [
            { key: 'k', operator: 'Exists', value: 'v' },
            { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' },
          ],
        }),
      ),
    ).toEqual([
      'spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ]);
  });

  it('rejects a wrong enum value with the supported values', () => {
    expect(causesOf(pod({ restartPolicy: 'Sometimes' as never }))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe('Pod updates', () => {
  const stored = () => deepFreeze(validateObject(Pods, pod({ tolerations: [{ key: 'a', operator: 'Exists' }] })).object);

  it('may change a container image and add tolerations', () => {
    const next = structuredClone(stored()) as Pod;
    next.spec!.containers[0]!.image = 'nginx:1.28';
    next.spec!.tolerations!.push({ key: 'b', operator: 'Exists' });
    expect(causesOf(next, stored())).toEqual([]);
  });

  it('may not change other fields of the spec or remove tolerations', () => {
    const next = structuredClone(stored()) as Pod;
    next.spec!.containers[0]!.command = ['sh'];
    next.spec!.tolerations = [];
    const c = causesOf(next, stored());
    expect(c[0]).toBe('spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds');
    expect(c[1]).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\]\.image`/);
  });

  it('may lower but not raise activeDeadlineSeconds', () => {
    const old = deepFreeze(validateObject(Pods, pod({ activeDeadlineSeconds: 100 })).object);
    const up = structuredClone(old) as Pod;
    up.spec!.activeDeadlineSeconds = 200;
    expect(causesOf(up, old)).toEqual(['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
    const down = structuredClone(old) as Pod;
    down.spec!.activeDeadlineSeconds = 50;
    expect(causesOf(down, old)).toEqual([]);
  });
});

describe('Pod columns and field selectors', () => {
  const now = Date.parse('2024-01-01T01:00:00Z');
  const running: Pod = {
    ...pod(),
    metadata: { name: 'web', creationTimestamp: '2024-01-01T00:00:00Z' },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 2,
          image: 'nginx',
          imageID: '',
          state: { running: {} },
          lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:55:00Z' } },
        },
      ],
    },
  };

  it('show READY, STATUS, RESTARTS and AGE like kubectl', () => {
    const cells = Pods.printerColumns!.map((c) => c.value!(running, now));
    expect(cells.slice(0, 5)).toEqual(['1/1', 'Running', '2 (5m ago)', '60m', '10.0.0.5']);
  });

  it('show waiting reasons, init progress and termination', () => {
    const waiting: Pod = {
      ...pod(),
      status: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    expect(podSummary(waiting, now).status).toBe('CrashLoopBackOff');
    const init: Pod = {
      ...pod({ initContainers: [{ name: 'i', image: 'x' }] }),
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, image: '', imageID: '', state: { running: {} } }],
      },
    };
    expect(podSummary(init, now).status).toBe('Init:0/1');
    expect(podSummary({ ...running, metadata: { ...running.metadata, deletionTimestamp: '2024-01-01T00:59:00Z' } }, now).status).toBe(
      'Terminating',
    );
  });

  it('select pods by node, phase and the other Kubernetes fields', () => {
    const sel = Pods.strategy!.selectableFields!;
    expect(Object.keys(sel)).toEqual(
      expect.arrayContaining([
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ]),
    );
    expect(sel['status.phase']!(running)).toBe('Running');
    expect(sel['spec.nodeName']!(running)).toBe('');
  });
});
