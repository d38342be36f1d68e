import { describe, expect, it } from 'vitest';
import { validateObject } from '../validation/validate-object.js';
import { Deployments, type Deployment } from './deployment.kind.js';

const manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'shop',
    namespace: 'prod',
    labels: { 'app.kubernetes.io/name': 'shop' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 5,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'shop', tier: 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
      spec: {
        serviceAccountName: 'shop',
        securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        initContainers: [{ name: 'migrate', image: 'shop:1.4.2', command: ['./migrate'], envFrom: [{ secretRef: { name: 'db' } }] }],
        containers: [
          {
            name: 'web',
            image: 'registry.example.com/shop:1.4.2',
            args: ['--port=8080'],
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9090 },
            ],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
              { name: 'MODE', value: 'production' },
            ],
            envFrom: [{ configMapRef: { name: 'shop-config' }, prefix: 'SHOP_' }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi', 'ephemeral-storage': '1Gi' } },
            readinessProbe: {
              httpGet: { path: '/ready', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
              initialDelaySeconds: 5,
              periodSeconds: 5,
            },
            livenessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 5 },
            startupProbe: { exec: { command: ['cat', '/tmp/started'] } },
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [
              { name: 'config', mountPath: '/etc/shop', readOnly: true },
              { name: 'cache', mountPath: '/cache' },
              { name: 'data', mountPath: '/data', subPath: 'shop' },
              { name: 'token', mountPath: '/var/run/secrets/tokens' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'shop-config', items: [{ key: 'app.yaml', path: 'app.yaml' }] } },
          { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'shop-data' } },
          {
            name: 'token',
            projected: {
              sources: [
                { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } },
                { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              ],
            },
          },
        ],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }] }],
            },
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
                },
              },
            ],
          },
        },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
          },
        ],
        imagePullSecrets: [{ name: 'registry' }],
        priorityClassName: 'high',
        terminationGracePeriodSeconds: 45,
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
      },
    },
  },
};

describe('a real-world Deployment manifest', () => {
  it('validates with no unknown fields and keeps every field', () => {
    const input = structuredClone(manifest) as unknown as Deployment;
    const r = validateObject(Deployments, input, { fieldValidation: 'Strict' });
    expect(r.causes).toEqual([]);
    expect(r.unknownFields).toEqual([]);
    const c = r.object.spec!.template.spec!.containers[0]!;
    expect(c.resources!.limits).toEqual({ cpu: 1, memory: '512Mi', 'ephemeral-storage': '1Gi' });
    expect(c.env![1]!.valueFrom!.resourceFieldRef!.divisor).toBe('1m');
    expect(r.object.spec!.template.spec!.volumes![3]!.projected!.sources![0]!.serviceAccountToken!.expirationSeconds).toBe(600);
  });
});
