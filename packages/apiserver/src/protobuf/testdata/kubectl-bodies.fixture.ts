/**
 * Request bodies kubectl 1.32 sent to a recording server (`application/vnd.kubernetes.protobuf`),
 * with the JSON `kubectl ... --dry-run=client -o json` prints for the same command where it has
 * one, or the JSON Go writes for the same object. Test data for the protobuf codec.
 */

/** One recorded kubectl request body. */
export interface RecordedBody {
  /** The kubectl command line that sent it. */
  command: string;
  /** The body, base64. */
  protobuf: string;
  /** The object's JSON form. */
  json: Record<string, unknown>;
}

/** Recorded bodies by name. */
export const KUBECTL_BODIES: Record<string, RecordedBody> = {
  'cani-list': {
    command: 'kubectl auth can-i --list',
    protobuf:
      'azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4' +
      'AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA',
    json: {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'default' },
      status: { resourceRules: null, nonResourceRules: null, incomplete: false },
    },
  },
  'cani-sub': {
    command: 'kubectl auth can-i get pods --subresource=log -n kube-system',
    protobuf:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSQwoQCgASABoAIgAqADIA' +
      'OABCABIlCiMKC2t1YmUtc3lzdGVtEgNnZXQaACIAKgRwb2RzMgNsb2c6ABoICAASABoAIAAaACIA',
    json: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'kube-system', verb: 'get', resource: 'pods', subresource: 'log' } },
      status: { allowed: false },
    },
  },
  cani: {
    command: 'kubectl auth can-i create deployments',
    protobuf:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSSgoQCgASABoAIgAqADIA' +
      'OABCABIsCioKB2RlZmF1bHQSBmNyZWF0ZRoEYXBwcyIAKgtkZXBsb3ltZW50czIAOgAaCAgAEgAaACAAGgAiAA==',
    json: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' } },
      status: { allowed: false },
    },
  },
  'clusterrole-agg': {
    command: 'kubectl create clusterrole agg --aggregation-rule=rbac.example.com/aggregate=true',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRI9ChMKA2FnZxIAGgAiACoAMgA4AEIA' +
      'GiYKJAoiChpyYmFjLmV4YW1wbGUuY29tL2FnZ3JlZ2F0ZRIEdHJ1ZRoAIgA=',
    json: {
      kind: 'ClusterRole',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'agg', creationTimestamp: null },
      rules: null,
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
    },
  },
  clusterrole: {
    command: 'kubectl create clusterrole creader --verb=get --resource=nodes --non-resource-url=/healthz',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRI6ChcKB2NyZWFkZXISABoAIgAqADIA' +
      'OABCABIOCgNnZXQSABoFbm9kZXMSDwoDZ2V0KggvaGVhbHRoehoAIgA=',
    json: {
      kind: 'ClusterRole',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'creader', creationTimestamp: null },
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['nodes'] },
        { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      ],
    },
  },
  clusterrolebinding: {
    command: 'kubectl create clusterrolebinding crb --clusterrole=creader --user=bob',
    protobuf:
      'azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcScgoTCgNjcmISABoAIgAq' +
      'ADIAOABCABIoCgRVc2VyEhlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvGgNib2IiABoxChlyYmFjLmF1dGhvcml6YXRpb24u' +
      'azhzLmlvEgtDbHVzdGVyUm9sZRoHY3JlYWRlchoAIgA=',
    json: {
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'crb', creationTimestamp: null },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'creader' },
    },
  },
  configmap: {
    command: 'kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two',
    protobuf: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEicKEwoDY2ZnEgAaACIAKgAyADgAQgASBgoBYRIBMRIICgFiEgN0d28aACIA',
    json: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cfg', creationTimestamp: null }, data: { a: '1', b: 'two' } },
  },
  cronjob: {
    command: "kubectl create cronjob tick --image=busybox --schedule='*/5 * * * *' -- date",
    protobuf:
      'azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKqAQoUCgR0aWNrEgAaACIAKgAyADgAQgASjwEKCyovNSAqICogKiAqGgAqfgoU' +
      'CgR0aWNrEgAaACIAKgAyADgAQgASZjJkChAKABIAGgAiACoAMgA4AEIAElASKQoEdGljaxIHYnVzeWJveBoEZGF0ZSoAQgBq' +
      'AHIAgAEAiAEAkAEAogEAGglPbkZhaWx1cmUyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoAGgAiAA==',
    json: {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: { name: 'tick', creationTimestamp: null },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: { name: 'tick', creationTimestamp: null },
          spec: {
            template: {
              metadata: { creationTimestamp: null },
              spec: { containers: [{ name: 'tick', image: 'busybox', command: ['date'], resources: {} }], restartPolicy: 'OnFailure' },
            },
          },
        },
      },
      status: {},
    },
  },
  'deployment-multi': {
    command: 'kubectl create deployment multi --image=nginx --image=busybox',
    protobuf:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Et0BCiMKBW11bHRpEgAaACIAKgAyADgAQgBaDAoDYXBwEgVtdWx0aRKnAQgB' +
      'Eg4KDAoDYXBwEgVtdWx0aRqKAQoeCgASABoAIgAqADIAOABCAFoMCgNhcHASBW11bHRpEmgSIgoFbmdpbngSBW5naW54KgBC' +
      'AGoAcgCAAQCIAQCQAQCiAQASJgoHYnVzeWJveBIHYnVzeWJveCoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABo' +
      'AIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA',
    json: {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'multi', creationTimestamp: null, labels: { app: 'multi' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'multi' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'multi' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx', resources: {} },
              { name: 'busybox', image: 'busybox', resources: {} },
            ],
          },
        },
        strategy: {},
      },
      status: {},
    },
  },
  deployment: {
    command: 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80',
    protobuf:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEosBCAMSDAoK' +
      'CgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5naW54OjEuMjcqADIKCgAQ' +
      'ABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAo' +
      'ADgAGgAiAA==',
    json: {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
  },
  ingress: {
    command:
      "kubectl create ingress web --class=nginx --rule='foo.com/bar*=svc:8080,tls=my-cert' --annotation=a=b --default-backend=def:http",
    protobuf:
      'azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxKAAQobCgN3ZWISABoAIgAqADIAOABCAGIGCgFhEgFiEl0K' +
      'ESIPCgNkZWYSCAoEaHR0cBAAEhIKB2Zvby5jb20SB215LWNlcnQaLQoHZm9vLmNvbRIiCiAKHgoEL2JhchIOIgwKA3N2YxIF' +
      'CgAQkD8aBlByZWZpeCIFbmdpbngaAgoAGgAiAA==',
    json: {
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      metadata: { name: 'web', creationTimestamp: null, annotations: { a: 'b' } },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'def', port: { name: 'http' } } },
        tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
        rules: [
          {
            host: 'foo.com',
            http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 8080 } } } }] },
          },
        ],
      },
      status: { loadBalancer: {} },
    },
  },
  job: {
    command: 'kubectl create job once --image=busybox -- echo hi',
    protobuf:
      'azhzAAoPCghiYXRjaC92MRIDSm9iEogBChQKBG9uY2USABoAIgAqADIAOABCABJmMmQKEAoAEgAaACIAKgAyADgAQgASUBIt' +
      'CgRvbmNlEgdidXN5Ym94GgRlY2hvGgJoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEAigEA' +
      'mgEAwgEAGgggACgAMAA6ABoAIgA=',
    json: {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name: 'once', creationTimestamp: null },
      spec: {
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'once', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' },
        },
      },
      status: {},
    },
  },
  namespace: {
    command: 'kubectl create namespace team-a',
    protobuf: 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGdGVhbS1hEgAaACIAKgAyADgAQgASABoCCgAaACIA',
    json: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'team-a', creationTimestamp: null }, spec: {}, status: {} },
  },
  'pdb-max': {
    command: 'kubectl create poddisruptionbudget pdb2 --selector=app=web --max-unavailable=1',
    protobuf:
      'azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSOgoUCgRwZGIyEgAaACIAKgAyADgAQgASFhIMCgoKA2Fw' +
      'cBIDd2ViGgYIABABGgAaCggAGAAgACgAMAAaACIA',
    json: {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: { name: 'pdb2', creationTimestamp: null },
      spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  pdb: {
    command: 'kubectl create poddisruptionbudget pdb --selector=app=web --min-available=50%',
    protobuf:
      'azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSPAoTCgNwZGISABoAIgAqADIAOABCABIZCgkIARAAGgM1' +
      'MCUSDAoKCgNhcHASA3dlYhoKCAAYACAAKAAwABoAIgA=',
    json: {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: { name: 'pdb', creationTimestamp: null },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  priorityclass: {
    command: "kubectl create priorityclass high --value=1000 --description='high prio' --preemption-policy=Never",
    protobuf:
      'azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxItChQKBGhpZ2gSABoAIgAqADIAOABCABDoBxgA' +
      'IgloaWdoIHByaW8qBU5ldmVyGgAiAA==',
    json: {
      kind: 'PriorityClass',
      apiVersion: 'scheduling.k8s.io/v1',
      metadata: { name: 'high', creationTimestamp: null },
      value: 1000,
      description: 'high prio',
      preemptionPolicy: 'Never',
    },
  },
  quota: {
    command: 'kubectl create quota q --hard=cpu=1,memory=1G,pods=10,services=2 --scopes=NotTerminating',
    protobuf:
      'azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJiChEKAXESABoAIgAqADIAOABCABJLCgoKA2NwdRIDCgExCg4KBm1lbW9yeRIE' +
      'CgIxRwoMCgRwb2RzEgQKAjEwCg8KCHNlcnZpY2VzEgMKATISDk5vdFRlcm1pbmF0aW5nGgAaACIA',
    json: {
      kind: 'ResourceQuota',
      apiVersion: 'v1',
      metadata: { name: 'q', creationTimestamp: null },
      spec: { hard: { cpu: '1', memory: '1G', pods: '10', services: '2' }, scopes: ['NotTerminating'] },
      status: {},
    },
  },
  role: {
    command: 'kubectl create role reader --verb=get,list,watch --resource=pods,deployments.apps --resource-name=x',
    protobuf:
      'azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEmEKFgoGcmVhZGVyEgAaACIAKgAyADgAQgASHQoD' +
      'Z2V0CgRsaXN0CgV3YXRjaBIAGgRwb2RzIgF4EigKA2dldAoEbGlzdAoFd2F0Y2gSBGFwcHMaC2RlcGxveW1lbnRzIgF4GgAi' +
      'AA==',
    json: {
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'reader', creationTimestamp: null },
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'], resourceNames: ['x'] },
        { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['x'] },
      ],
    },
  },
  rolebinding: {
    command: 'kubectl create rolebinding rb --role=reader --user=alice --group=devs --serviceaccount=default:robot',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxK7AQoSCgJyYhIAGgAiACoAMgA4AEIA' +
      'EioKBFVzZXISGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBWFsaWNlIgASKgoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlv' +
      'bi5rOHMuaW8aBGRldnMiABIiCg5TZXJ2aWNlQWNjb3VudBIAGgVyb2JvdCIHZGVmYXVsdBopChlyYmFjLmF1dGhvcml6YXRp' +
      'b24uazhzLmlvEgRSb2xlGgZyZWFkZXIaACIA',
    json: {
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'rb', creationTimestamp: null },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    },
  },
  'secret-docker': {
    command:
      'kubectl create secret docker-registry reg --docker-server=r.example.com --docker-username=u --docker-password=p --docker-email=e@x.com',
    protobuf:
      'azhzAAoMCgJ2MRIGU2VjcmV0EqcBChMKA3JlZxIAGgAiACoAMgA4AEIAEnAKES5kb2NrZXJjb25maWdqc29uElt7ImF1dGhz' +
      'Ijp7InIuZXhhbXBsZS5jb20iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHguY29tIiwiYXV0' +
      'aCI6ImRUcHcifX19Gh5rdWJlcm5ldGVzLmlvL2RvY2tlcmNvbmZpZ2pzb24aACIA',
    json: {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'reg', creationTimestamp: null },
      data: {
        '.dockerconfigjson':
          'eyJhdXRocyI6eyJyLmV4YW1wbGUuY29tIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImVtYWlsIjoiZUB4LmNvbSIsImF1dGgiOiJkVHB3In19fQ==',
      },
      type: 'kubernetes.io/dockerconfigjson',
    },
  },
  'secret-generic': {
    command: 'kubectl create secret generic sec --from-literal=password=s3cr3t --type=Opaque',
    protobuf: 'azhzAAoMCgJ2MRIGU2VjcmV0EjEKEwoDc2VjEgAaACIAKgAyADgAQgASEgoIcGFzc3dvcmQSBnMzY3IzdBoGT3BhcXVlGgAi' + 'AA==',
    json: {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'sec', creationTimestamp: null },
      data: { password: 'czNjcjN0' },
      type: 'Opaque',
    },
  },
  'secret-tls': {
    command: 'kubectl create secret tls tls --cert=tls.crt --key=tls.key',
    protobuf:
      'azhzAAoMCgJ2MRIGU2VjcmV0ErAWChMKA3RscxIAGgAiACoAMgA4AEIAEs4ICgd0bHMuY3J0EsIILS0tLS1CRUdJTiBDRVJU' +
      'SUZJQ0FURS0tLS0tCk1JSUMrVENDQWVHZ0F3SUJBZ0lVQ3hhWjNOdXhscCtIRmtJTXk4Y1N0ekJVaGpNd0RRWUpLb1pJaHZj' +
      'TkFRRUwKQlFBd0RERUtNQWdHQTFVRUF3d0JlREFlRncweU5qRXhNak13T1RBME1UZGFGdzB5TmpFeE1qUXdPVEEwTVRkYQpN' +
      'QXd4Q2pBSUJnTlZCQU1NQVhnd2dnRWlNQTBHQ1NxR1NJYjNEUUVCQVFVQUE0SUJEd0F3Z2dFS0FvSUJBUURmCnNkRzBlc1RJ' +
      'YVE4dVBSMUEwa0dzS240UUR6YlFXc3FBS0hnd0NGeEQ4aVo3VFZLeDhvMlhzdjNOdkxqVllBVkkKVVh6L1dKWWpyYitsc2Ry' +
      'NE1ZSS82eHhUQmFabnZoTUxGWFIybFV2c1VwTTNxQmgrbE9XZ2MyNGhYWE01bFMxeApPWS9xdm5MZk5nWjZFRUZVR3o2M3Fo' +
      'UDdJNm9TOFhoWFhaN3JhcE1DTUorem9wMEVXQXo1SlRwU0RxMVpNVkNRCkJYMDd0dEtMdHpmYkZtaFRzbkFYdE9uWmdCZ1Rj' +
      'bW5OM3pTa2JxWXF2Sk5yWXFmd1h5dzFwSTNIMGJoRHlOWkMKNDZxNXBLWHBhRWJEOFM2VVE1cWpnc1Q3M1hVaXBTTml3SmdW' +
      'U21qRThOTDJvcFhpVUsxU1A1c2VVeUdSS0dXVQpjMWpKb0p2U0thUXV6VTZpSDMzUkFnTUJBQUdqVXpCUk1CMEdBMVVkRGdR' +
      'V0JCUndXWGNZSnhsa0ZSRzFIbTlyCjdMaVk2QmczRHpBZkJnTlZIU01FR0RBV2dCUndXWGNZSnhsa0ZSRzFIbTlyN0xpWTZC' +
      'ZzNEekFQQmdOVkhSTUIKQWY4RUJUQURBUUgvTUEwR0NTcUdTSWIzRFFFQkN3VUFBNElCQVFEWUV4b1lJN1pYbXJKUzVsc2hU' +
      'UjlqdklPMwpnUmFLRmp4eVYyalNFVWZIbTNOQzFiOVc3SGE1VjFsZ1VhZjhWTk84S0RSbjVtVGhvMXlHUElVVHdsbmt2V3NO' +
      'CjQ4eHppUUVwQUZtdGt0ZUFBRXdOS2xCdmJiZTNGU0Q1QU9EOUNpMGdWMDlPQlhKVk82cGRrNzE3RDJXZWJIcmsKNVI3a0FI' +
      'SUVOcGVWZFJ0T0ZBU0tGMWZScFZocVQ1bmJibi9xR1lTbWlGeXh0UTB0b3NLdm8zYzJ1clZ1UFIxdAo1ZnNxNFZhbHBMM1F5' +
      'L0xiK3pWNXRxeUZMODRxLzBJLzRCWWJnWTRabDI3MGpXY0tMQzFDWlFLenFJQTBwakM4CmtZdDBkVlp2NGpRMVZkellWSzBR' +
      'dGNrZVltU2p6QWVvTi9GVSt0OGdzUDFNYXE0QkkvODdPb3k2RUpYZgotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tChK0DQoH' +
      'dGxzLmtleRKoDS0tLS0tQkVHSU4gUFJJVkFURSBLRVktLS0tLQpNSUlFdmdJQkFEQU5CZ2txaGtpRzl3MEJBUUVGQUFTQ0JL' +
      'Z3dnZ1NrQWdFQUFvSUJBUURmc2RHMGVzVElhUTh1ClBSMUEwa0dzS240UUR6YlFXc3FBS0hnd0NGeEQ4aVo3VFZLeDhvMlhz' +
      'djNOdkxqVllBVklVWHovV0pZanJiK2wKc2RyNE1ZSS82eHhUQmFabnZoTUxGWFIybFV2c1VwTTNxQmgrbE9XZ2MyNGhYWE01' +
      'bFMxeE9ZL3F2bkxmTmdaNgpFRUZVR3o2M3FoUDdJNm9TOFhoWFhaN3JhcE1DTUorem9wMEVXQXo1SlRwU0RxMVpNVkNRQlgw' +
      'N3R0S0x0emZiCkZtaFRzbkFYdE9uWmdCZ1RjbW5OM3pTa2JxWXF2Sk5yWXFmd1h5dzFwSTNIMGJoRHlOWkM0NnE1cEtYcGFF' +
      'YkQKOFM2VVE1cWpnc1Q3M1hVaXBTTml3SmdWU21qRThOTDJvcFhpVUsxU1A1c2VVeUdSS0dXVWMxakpvSnZTS2FRdQp6VTZp' +
      'SDMzUkFnTUJBQUVDZ2dFQUlXRFVMTDBBN2ZLWFBFd01PR2JuTzd4ZmNTQUVDdFR4VUd3NWV0bFVneUwzCjBRQTVyYW5HclBN' +
      'ZFlmeWVDK0MzQ1JKM3QxWk5tT2ROS0hsQWRqWlUvQnFsOEZGd2doeGZsUkRQZnY1S0JPcFIKWTBXbTJnUjN1eGhlUDRaRk1q' +
      'dHJPM0RlWTZXbFdGOGtXa1JncXg4aG5hQTRPUW9hVDVkT1lLTHNtcTRkWDM4QQpiWFBGSEoyOWxlWnFJeEw3VjB2aEV4Z1ZW' +
      'QTZEdURaeXRKZGo5OWlVSHdzZVZhVkRvTHArMWRvbXZtRC9IVEpsCnpaaUxpTk84Y3BXVVREZG5aWnd3dTdYMTlWZll1RFQ2' +
      'TTFjalBGQ1Y0b3hnU1lKU0l2NU5jZzdFSVUwTUN5T0wKVERQQW82TU9HcFBralRscDEvYnYvYld2empIclNXQTY4OXBhUjgv' +
      'WTdRS0JnUUQ0dkp6UVgzSGR4cmR0bGtEVgo1QVZXa3dOT3IyVS9lRzdZRnFFSGEyclFxRDhzOEhCbjJtZ2FQajNVU3NNcGtN' +
      'SjhvejVtKzZva2VLdTRGVk1hCkhFMngwRTY4a2dZalZTV29ZbEZlc3ZrOGhDMVRyWms3T3luMVFsQzMxQXJoS2R5RlRHb21y' +
      'WWZZKy9xcExNd1QKUmkrQjgzc1haVDE0QUdoU3NJV3VPaDdOTndLQmdRRG1PZ0lsVTdKNStPb2xtTk9RV1hnWUVYTW9TYXdV' +
      'WU5ocApITFF4UVpZdmVzbjRlUWNSaDFaSzF2NVNIeGJPVExYcmlQYXpIRnhOejB2Wm1tc0wzajZIc1dzVVYxKzdkclpzCkFX' +
      'akZCOEJnRlJDZm5sdGdsbi9heW56QVBKd2o4RzZpVlQ1YTJ2S2QvL3dqb0pXYi9NaGE5YmZYdlJaZkwwQmEKcmdWKy80VlJO' +
      'd0tCZ1FDNG5UVStxemlXUktGc0l2TW9UYjl3akZrT0U3eHdLWEVMelcvalUrVEp6YlptSW1jcgpqYjFxalB2VEQxSmZEV1Jz' +
      'b2JUMU5xRUh4TkNmSnFTeFlvU0FEMzRCRTlpZWJOb3dhaGkrMHRPT0NRU2pjTnVrClRMdE5uOVROUEFKL01GVE9Vdk1PbGdt' +
      'WUVSM3dacUZwUk5TSi9TOUZKQTFGZmZmd043aGdvaDZ1YlFLQmdDQy8KVzVMSHB2bG1pSmUwZDFOdkJvQVY2MVZ0dFVab3lC' +
      'K2JiNTRhQUN6Y3dHSFJoVW5mQUUxQTY0ZnUyQ1djRDd4agpEUVJKSW5BRzdua1RWK3FtUUNxNDk4dzY2V2tXNTdmUk0zL2pM' +
      'Ri8rWHhEMVMzWWZzaXdDNVYvS3YwTDFiaWMxCkROdUxqVHNnTUZNNUFrN2YwL2ZzUDZ3MlB6cG0xRGFSemtKVVFqaGRBb0dC' +
      'QUtvWE12aFc4ZWsxdFRQZDkzOXEKMmlDcFdCUitTR3B5YjhRc252ZXhYQlRUNDRySG9peTJuM29tdVQ2VU56UG9tZzdiNDQy' +
      'UGIvdnVSSlc4dFBpUQp5V2FnVTZEVXlNdDlwYkZKbjg1VmEzS1IvVWZiT01LbTZvcW84ZkJpV3lBRWFNTEdRQnhDTWp0d1Zz' +
      'Ky83M3BoCnBoZmpIb3ZMWm11TDJpMWVkOE85Qm9RNQotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tChoRa3ViZXJuZXRlcy5p' +
      'by90bHMaACIA',
    json: {
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'tls', creationTimestamp: null },
      data: {
        'tls.crt':
          'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMrVENDQWVHZ0F3SUJBZ0lVQ3hhWjNOdXhscCtIRmtJTXk4Y1N0ekJVaGpNd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0RERUtNQWdHQTFVRUF3d0JlREFlRncweU5qRXhNak13T1RBME1UZGFGdzB5TmpFeE1qUXdPVEEwTVRkYQpNQXd4Q2pBSUJnTlZCQU1NQVhnd2dnRWlNQTBHQ1NxR1NJYjNEUUVCQVFVQUE0SUJEd0F3Z2dFS0FvSUJBUURmCnNkRzBlc1RJYVE4dVBSMUEwa0dzS240UUR6YlFXc3FBS0hnd0NGeEQ4aVo3VFZLeDhvMlhzdjNOdkxqVllBVkkKVVh6L1dKWWpyYitsc2RyNE1ZSS82eHhUQmFabnZoTUxGWFIybFV2c1VwTTNxQmgrbE9XZ2MyNGhYWE01bFMxeApPWS9xdm5MZk5nWjZFRUZVR3o2M3FoUDdJNm9TOFhoWFhaN3JhcE1DTUorem9wMEVXQXo1SlRwU0RxMVpNVkNRCkJYMDd0dEtMdHpmYkZtaFRzbkFYdE9uWmdCZ1RjbW5OM3pTa2JxWXF2Sk5yWXFmd1h5dzFwSTNIMGJoRHlOWkMKNDZxNXBLWHBhRWJEOFM2VVE1cWpnc1Q3M1hVaXBTTml3SmdWU21qRThOTDJvcFhpVUsxU1A1c2VVeUdSS0dXVQpjMWpKb0p2U0thUXV6VTZpSDMzUkFnTUJBQUdqVXpCUk1CMEdBMVVkRGdRV0JCUndXWGNZSnhsa0ZSRzFIbTlyCjdMaVk2QmczRHpBZkJnTlZIU01FR0RBV2dCUndXWGNZSnhsa0ZSRzFIbTlyN0xpWTZCZzNEekFQQmdOVkhSTUIKQWY4RUJUQURBUUgvTUEwR0NTcUdTSWIzRFFFQkN3VUFBNElCQVFEWUV4b1lJN1pYbXJKUzVsc2hUUjlqdklPMwpnUmFLRmp4eVYyalNFVWZIbTNOQzFiOVc3SGE1VjFsZ1VhZjhWTk84S0RSbjVtVGhvMXlHUElVVHdsbmt2V3NOCjQ4eHppUUVwQUZtdGt0ZUFBRXdOS2xCdmJiZTNGU0Q1QU9EOUNpMGdWMDlPQlhKVk82cGRrNzE3RDJXZWJIcmsKNVI3a0FISUVOcGVWZFJ0T0ZBU0tGMWZScFZocVQ1bmJibi9xR1lTbWlGeXh0UTB0b3NLdm8zYzJ1clZ1UFIxdAo1ZnNxNFZhbHBMM1F5L0xiK3pWNXRxeUZMODRxLzBJLzRCWWJnWTRabDI3MGpXY0tMQzFDWlFLenFJQTBwakM4CmtZdDBkVlp2NGpRMVZkellWSzBRdGNrZVltU2p6QWVvTi9GVSt0OGdzUDFNYXE0QkkvODdPb3k2RUpYZgotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==',
        'tls.key':
          'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktnd2dnU2tBZ0VBQW9JQkFRRGZzZEcwZXNUSWFROHUKUFIxQTBrR3NLbjRRRHpiUVdzcUFLSGd3Q0Z4RDhpWjdUVkt4OG8yWHN2M052TGpWWUFWSVVYei9XSllqcmIrbApzZHI0TVlJLzZ4eFRCYVpudmhNTEZYUjJsVXZzVXBNM3FCaCtsT1dnYzI0aFhYTTVsUzF4T1kvcXZuTGZOZ1o2CkVFRlVHejYzcWhQN0k2b1M4WGhYWFo3cmFwTUNNSit6b3AwRVdBejVKVHBTRHExWk1WQ1FCWDA3dHRLTHR6ZmIKRm1oVHNuQVh0T25aZ0JnVGNtbk4zelNrYnFZcXZKTnJZcWZ3WHl3MXBJM0gwYmhEeU5aQzQ2cTVwS1hwYUViRAo4UzZVUTVxamdzVDczWFVpcFNOaXdKZ1ZTbWpFOE5MMm9wWGlVSzFTUDVzZVV5R1JLR1dVYzFqSm9KdlNLYVF1CnpVNmlIMzNSQWdNQkFBRUNnZ0VBSVdEVUxMMEE3ZktYUEV3TU9HYm5PN3hmY1NBRUN0VHhVR3c1ZXRsVWd5TDMKMFFBNXJhbkdyUE1kWWZ5ZUMrQzNDUkozdDFaTm1PZE5LSGxBZGpaVS9CcWw4RkZ3Z2h4ZmxSRFBmdjVLQk9wUgpZMFdtMmdSM3V4aGVQNFpGTWp0ck8zRGVZNldsV0Y4a1drUmdxeDhobmFBNE9Rb2FUNWRPWUtMc21xNGRYMzhBCmJYUEZISjI5bGVacUl4TDdWMHZoRXhnVlZBNkR1RFp5dEpkajk5aVVId3NlVmFWRG9McCsxZG9tdm1EL0hUSmwKelppTGlOTzhjcFdVVERkblpad3d1N1gxOVZmWXVEVDZNMWNqUEZDVjRveGdTWUpTSXY1TmNnN0VJVTBNQ3lPTApURFBBbzZNT0dwUGtqVGxwMS9idi9iV3Z6akhyU1dBNjg5cGFSOC9ZN1FLQmdRRDR2SnpRWDNIZHhyZHRsa0RWCjVBVldrd05PcjJVL2VHN1lGcUVIYTJyUXFEOHM4SEJuMm1nYVBqM1VTc01wa01KOG96NW0rNm9rZUt1NEZWTWEKSEUyeDBFNjhrZ1lqVlNXb1lsRmVzdms4aEMxVHJaazdPeW4xUWxDMzFBcmhLZHlGVEdvbXJZZlkrL3FwTE13VApSaStCODNzWFpUMTRBR2hTc0lXdU9oN05Od0tCZ1FEbU9nSWxVN0o1K09vbG1OT1FXWGdZRVhNb1Nhd1VZTmhwCkhMUXhRWll2ZXNuNGVRY1JoMVpLMXY1U0h4Yk9UTFhyaVBhekhGeE56MHZabW1zTDNqNkhzV3NVVjErN2RyWnMKQVdqRkI4QmdGUkNmbmx0Z2xuL2F5bnpBUEp3ajhHNmlWVDVhMnZLZC8vd2pvSldiL01oYTliZlh2UlpmTDBCYQpyZ1YrLzRWUk53S0JnUUM0blRVK3F6aVdSS0ZzSXZNb1RiOXdqRmtPRTd4d0tYRUx6Vy9qVStUSnpiWm1JbWNyCmpiMXFqUHZURDFKZkRXUnNvYlQxTnFFSHhOQ2ZKcVN4WW9TQUQzNEJFOWllYk5vd2FoaSswdE9PQ1FTamNOdWsKVEx0Tm45VE5QQUovTUZUT1V2TU9sZ21ZRVIzd1pxRnBSTlNKL1M5RkpBMUZmZmZ3TjdoZ29oNnViUUtCZ0NDLwpXNUxIcHZsbWlKZTBkMU52Qm9BVjYxVnR0VVpveUIrYmI1NGFBQ3pjd0dIUmhVbmZBRTFBNjRmdTJDV2NEN3hqCkRRUkpJbkFHN25rVFYrcW1RQ3E0OTh3NjZXa1c1N2ZSTTMvakxGLytYeEQxUzNZZnNpd0M1Vi9LdjBMMWJpYzEKRE51TGpUc2dNRk01QWs3ZjAvZnNQNncyUHpwbTFEYVJ6a0pVUWpoZEFvR0JBS29YTXZoVzhlazF0VFBkOTM5cQoyaUNwV0JSK1NHcHliOFFzbnZleFhCVFQ0NHJIb2l5Mm4zb211VDZVTnpQb21nN2I0NDJQYi92dVJKVzh0UGlRCnlXYWdVNkRVeU10OXBiRkpuODVWYTNLUi9VZmJPTUttNm9xbzhmQmlXeUFFYU1MR1FCeENNanR3VnMrLzczcGgKcGhmakhvdkxabXVMMmkxZWQ4TzlCb1E1Ci0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K',
      },
      type: 'kubernetes.io/tls',
    },
  },
  'service-clusterip': {
    command: 'kubectl create service clusterip web --tcp=80:8080',
    protobuf:
      'azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkIKGwoHODAtODA4MBIDVENQ' +
      'GFAiBwgAEJA/GgAoABIKCgNhcHASA3dlYhoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==',
    json: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    },
  },
  'service-externalname': {
    command: 'kubectl create service externalname ext --external-name=example.com',
    protobuf:
      'azhzAAoNCgJ2MRIHU2VydmljZRJaCh8KA2V4dBIAGgAiACoAMgA4AEIAWgoKA2FwcBIDZXh0EjMSCgoDYXBwEgNleHQaACIM' +
      'RXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==',
    json: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'ext', creationTimestamp: null, labels: { app: 'ext' } },
      spec: { selector: { app: 'ext' }, type: 'ExternalName', externalName: 'example.com' },
      status: { loadBalancer: {} },
    },
  },
  'service-loadbalancer': {
    command: 'kubectl create service loadbalancer lb --tcp=443:8443',
    protobuf:
      'azhzAAoNCgJ2MRIHU2VydmljZRJrCh0KAmxiEgAaACIAKgAyADgAQgBaCQoDYXBwEgJsYhJGCh0KCDQ0My04NDQzEgNUQ1AY' +
      'uwMiBwgAEPtBGgAoABIJCgNhcHASAmxiGgAiDExvYWRCYWxhbmNlcjoAQgBSAFoAYABoABoCCgAaACIA',
    json: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'lb', creationTimestamp: null, labels: { app: 'lb' } },
      spec: { ports: [{ name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443 }], selector: { app: 'lb' }, type: 'LoadBalancer' },
      status: { loadBalancer: {} },
    },
  },
  'service-nodeport': {
    command: 'kubectl create service nodeport np --tcp=80:8080 --node-port=30080',
    protobuf:
      'azhzAAoNCgJ2MRIHU2VydmljZRJnCh0KAm5wEgAaACIAKgAyADgAQgBaCQoDYXBwEgJucBJCCh0KBzgwLTgwODASA1RDUBhQ' +
      'IgcIABCQPxoAKIDrARIJCgNhcHASAm5wGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=',
    json: {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'np', creationTimestamp: null, labels: { app: 'np' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: 'np' },
        type: 'NodePort',
      },
      status: { loadBalancer: {} },
    },
  },
  serviceaccount: {
    command: 'kubectl create serviceaccount robot',
    protobuf: 'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFwoVCgVyb2JvdBIAGgAiACoAMgA4AEIAGgAiAA==',
    json: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'robot', creationTimestamp: null } },
  },
  token: {
    command: 'kubectl create token robot --audience=api --duration=1h',
    protobuf: 'azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIiChAKABIAGgAiACoAMgA4AEIAEggKA2Fw' + 'aSCQHBoECgASABoAIgA=',
    json: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { audiences: ['api'], expirationSeconds: 3600 },
      status: { token: '', expirationTimestamp: null },
    },
  },
  whoami: {
    command: 'kubectl auth whoami',
    protobuf: 'azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgAS' + 'BgoECgASABoAIgA=',
    json: {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: {} },
    },
  },
};
