import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { SelfSubjectAccessReviews, SubjectAccessReviews, TokenRequests } from './auth.kind.js';
import { HorizontalPodAutoscalers, Scales, type HorizontalPodAutoscaler } from './autoscaling.kind.js';
import { APIServices } from './apiservice.kind.js';
import { EndpointSlices, type EndpointSlice } from './endpointslice.kind.js';
import { Leases } from './lease.kind.js';
import { Ingresses, NetworkPolicies, type Ingress } from './networking.kind.js';
import { PodDisruptionBudgets } from './policy.kind.js';
import { PriorityClasses, type PriorityClass } from './priorityclass.kind.js';
import { ClusterRoleBindings, RoleBindings, Roles, type RoleBinding } from './rbac.kind.js';
import { StorageClasses } from './storage.kind.js';

const msgs = (r: { causes: { field?: string; message?: string }[] }) => r.causes.map((c) => `${c.field}: ${c.message}`);

describe('RBAC kinds', () => {
  it('check rules like Kubernetes', () => {
    const r = validateObject(Roles, {
      metadata: { name: 'r', namespace: 'default' },
      rules: [
        { verbs: [], resources: ['pods'] },
        { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      ],
    } as never);
    expect(msgs(r)).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    expect(
      validateObject(Roles, {
        metadata: { name: 'system:r', namespace: 'default' },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      } as never).causes,
    ).toEqual([]);
  });

  it('default subject API groups and keep roleRef immutable', () => {
    const rb: RoleBinding = {
      metadata: { name: 'rb', namespace: 'default' },
      roleRef: { apiGroup: '', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
      ],
    };
    const { object, causes } = validateObject(RoleBindings, rb);
    expect(causes).toEqual([]);
    expect(object.roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
    expect(object.subjects!.map((s) => s.apiGroup)).toEqual(['rbac.authorization.k8s.io', undefined]); // a ServiceAccount subject's empty apiGroup is omitted (omitempty)
    expect('apiGroup' in object.subjects![1]!).toBe(false);
    const next = structuredClone(deepFreeze(object)) as RoleBinding;
    next.roleRef.name = 'other';
    expect(msgs(validateObject(RoleBindings, next, { old: object }))).toEqual([
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"other"}: cannot change roleRef',
    ]);
  });

  it('allow only ClusterRoles in ClusterRoleBindings and need service account namespaces', () => {
    const r = validateObject(ClusterRoleBindings, {
      metadata: { name: 'crb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    } as never);
    expect(msgs(r)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });
});

describe('scheduling, policy and autoscaling kinds', () => {
  it('reserve system- names and keep a PriorityClass value immutable', () => {
    const pc: PriorityClass = { metadata: { name: 'high' }, value: 1000 };
    const { object, causes } = validateObject(PriorityClasses, pc);
    expect(causes).toEqual([]);
    expect(object.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(
      msgs(validateObject(PriorityClasses, { metadata: { name: 'high' }, value: 2000 } as PriorityClass, { old: deepFreeze(object) })),
    ).toEqual(['value: Forbidden: may not be changed in an update.']);
    expect(msgs(validateObject(PriorityClasses, { metadata: { name: 'system-x' }, value: 1 } as PriorityClass))).toEqual([
      'metadata.name: Invalid value: "system-x": priority class names with \'system-\' prefix are reserved',
    ]);
  });

  it('refuse a PodDisruptionBudget with both minAvailable and maxUnavailable', () => {
    const r = validateObject(PodDisruptionBudgets, {
      metadata: { name: 'p', namespace: 'd' },
      spec: { minAvailable: 1, maxUnavailable: '10%' },
    } as never);
    expect(r.causes.map((c) => c.message)).toEqual([
      'Invalid value: {"minAvailable":1,"maxUnavailable":"10%"}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });

  it('default an HPA to 80% CPU and check the replica bounds', () => {
    const hpa: HorizontalPodAutoscaler = {
      metadata: { name: 'h', namespace: 'd' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    };
    const { object, causes } = validateObject(HorizontalPodAutoscalers, hpa);
    expect(causes).toEqual([]);
    expect(object.spec!.minReplicas).toBe(1);
    expect(object.spec!.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(HorizontalPodAutoscalers.printerColumns!.map((c) => c.value!(object, 0)).slice(0, 5)).toEqual([
      'Deployment/web',
      'cpu: <unknown>/80%',
      '1',
      5,
      0,
    ]);
    expect(msgs(validateObject(HorizontalPodAutoscalers, { ...hpa, spec: { ...hpa.spec!, minReplicas: 6 } }))).toEqual([
      'spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`',
    ]);
  });

  it('validate a Scale body', () => {
    expect(msgs(validateObject(Scales, { metadata: { name: 'web', namespace: 'd' }, spec: { replicas: -1 } } as never))).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});

describe('networking, discovery, coordination, storage and registration kinds', () => {
  it('check Ingress paths and backends', () => {
    const ing: Ingress = {
      metadata: { name: 'i', namespace: 'd' },
      spec: {
        rules: [
          {
            host: 'example.com',
            http: {
              paths: [
                { path: 'x', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } },
                { path: '/', pathType: 'Fuzzy', backend: {} },
              ],
            },
          },
        ],
      },
    };
    expect(msgs(validateObject(Ingresses, ing))).toEqual([
      'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
      'spec.rules[0].http.paths[1].pathType: Unsupported value: "Fuzzy": supported values: "Exact", "Prefix", "ImplementationSpecific"',
      'spec.rules[0].http.paths[1].backend: Invalid value: "": one backend (service or resource) must be specified',
    ]);
  });

  it('default NetworkPolicy policy types and port protocols', () => {
    const { object, causes } = validateObject(NetworkPolicies, {
      metadata: { name: 'n', namespace: 'd' },
      spec: { egress: [{ ports: [{ port: 53 }] }] },
    } as never);
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }],
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it('keep the address type of an EndpointSlice and check addresses', () => {
    const es: EndpointSlice = {
      metadata: { name: 'e', namespace: 'd' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1', 'nope'] }],
      ports: [{ port: 80 }],
    };
    expect(msgs(validateObject(EndpointSlices, es))[0]).toMatch(
      /^endpoints\[0\]\.addresses\[1\]: Invalid value: "nope": must be a valid IP address/,
    );
    const old = deepFreeze(validateObject(EndpointSlices, { ...es, endpoints: [{ addresses: ['10.0.0.1'] }] }).object);
    expect(
      msgs(validateObject(EndpointSlices, { ...structuredClone(old), addressType: 'IPv6', endpoints: [] } as EndpointSlice, { old })),
    ).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
  });

  it('require a positive lease duration', () => {
    expect(msgs(validateObject(Leases, { metadata: { name: 'l', namespace: 'd' }, spec: { leaseDurationSeconds: 0 } } as never))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('default a StorageClass and keep its provisioner immutable', () => {
    const { object } = validateObject(StorageClasses, { metadata: { name: 'local' }, provisioner: 'rancher.io/local-path' } as never);
    expect([object.reclaimPolicy, object.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(
      msgs(validateObject(StorageClasses, { ...structuredClone(object), provisioner: 'other.io/x' } as never, { old: deepFreeze(object) })),
    ).toEqual(['provisioner: Invalid value: "other.io/x": field is immutable']);
  });

  it('name an APIService <version>.<group>', () => {
    expect(
      msgs(
        validateObject(APIServices, {
          metadata: { name: 'wrong' },
          spec: {
            group: 'metrics.k8s.io',
            version: 'v1beta1',
            groupPriorityMinimum: 100,
            versionPriority: 100,
            insecureSkipTLSVerify: true,
            service: { name: 'm', namespace: 'kube-system' },
          },
        } as never),
      ),
    ).toEqual(['metadata.name: Invalid value: "wrong": must be v1beta1.metrics.k8s.io']);
  });
});

describe('review kinds', () => {
  it('need no name and check their attributes', () => {
    expect(
      validateObject(SelfSubjectAccessReviews, {
        metadata: {},
        spec: { resourceAttributes: { verb: 'create', group: 'apps', resource: 'deployments' } },
      } as never).causes,
    ).toEqual([]);
    expect(msgs(validateObject(SelfSubjectAccessReviews, { metadata: {}, spec: {} } as never))).toEqual([
      'spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    ]);
    expect(
      msgs(validateObject(SubjectAccessReviews, { metadata: {}, spec: { nonResourceAttributes: { path: '/', verb: 'get' } } } as never)),
    ).toEqual(['spec.user: Invalid value: "": at least one of user or group must be specified']);
  });

  it('default a TokenRequest to an hour and refuse less than ten minutes', () => {
    const { object, causes } = validateObject(TokenRequests, { metadata: {}, spec: { audiences: [] } } as never);
    expect(causes).toEqual([]);
    expect(object.spec.expirationSeconds).toBe(3600);
    expect(msgs(validateObject(TokenRequests, { metadata: {}, spec: { audiences: [], expirationSeconds: 60 } } as never))).toEqual([
      'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    ]);
  });
});
