/**
 * Request-body decoding throughput of the API server: a Deployment as kubectl sends it in
 * protobuf (`k8s\0` envelope, decoded to its JSON form by `decodeProtobufObject`) against the
 * same Deployment as JSON (`JSON.parse` of the body), in one run. Deployments of a realistic
 * size: two containers with ports, env, resources, probes and volume mounts.
 */
import { decodeProtobufObject, encodeProtobufObject } from '../packages/apiserver/src/index.js';
import { benchmark, opsPerSecond, report } from './kit.js';

function deployment(i: number): Record<string, unknown> {
  const container = (name: string, image: string, port: number) => ({
    name,
    image,
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    env: [
      { name: 'MODE', value: 'production' },
      { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    ],
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
    livenessProbe: {
      httpGet: { path: '/healthz', port: port, scheme: 'HTTP' },
      initialDelaySeconds: 5,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  });
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: `web-${i}`,
      namespace: 'default',
      creationTimestamp: null,
      labels: { app: 'web', tier: 'frontend' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web', tier: 'frontend' } },
        spec: {
          volumes: [{ name: 'config', configMap: { name: 'web-config', defaultMode: 420 } }],
          containers: [container('web', 'nginx:1.27', 80), container('sidecar', 'busybox:1.36', 9090)],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

benchmark(['api.protobuf.decode.protobuf', 'api.protobuf.decode.json', 'api.protobuf.decode.ratio'], async () => {
  const n = 1000;
  const protobufBodies = Array.from({ length: n }, (_, i) => encodeProtobufObject(deployment(i)));
  const jsonBodies = Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify(deployment(i))));
  // Warm up both paths (compiles protobufjs decoders and the converter plans).
  for (let i = 0; i < 2000; i++) {
    decodeProtobufObject(protobufBodies[i % n]!);
    JSON.parse(jsonBodies[i % n]!.toString('utf8'));
  }
  // Interleave short rounds of each so both see the same machine load (the machine is shared).
  const rounds = 12;
  const ms = 125;
  let pbOps = 0;
  let jsOps = 0;
  let k = 0;
  for (let round = 0; round < rounds; round++) {
    pbOps += (await opsPerSecond(() => decodeProtobufObject(protobufBodies[k++ % n]!), ms)) / rounds;
    jsOps += (await opsPerSecond(() => JSON.parse(jsonBodies[k++ % n]!.toString('utf8')), ms)) / rounds;
  }
  report('api.protobuf.decode.protobuf', pbOps, 'ops/s');
  report('api.protobuf.decode.json', jsOps, 'ops/s');
  report('api.protobuf.decode.ratio', pbOps / jsOps, 'protobuf/json');
  report('api.protobuf.decode.body-bytes.protobuf', protobufBodies[0]!.length, 'bytes');
  report('api.protobuf.decode.body-bytes.json', jsonBodies[0]!.length, 'bytes');
});
