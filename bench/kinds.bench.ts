/**
 * Validation throughput of built-in kinds: `validateObject` (structural schema, pruning,
 * defaults, metadata and kind rules) on a small Pod and on a Deployment, per second.
 */
import { Deployments, Pods, type Deployment, type Pod } from '../packages/core/src/index.js';
import { validateObject } from '../packages/core/src/kinds/validation/index.js';
import { benchmark, opsPerSecond, report } from './kit.js';

const smallPod = (i: number): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});

const deployment = (i: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'A', value: 'b' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' } },
          },
        ],
      },
    },
  },
});

benchmark(['kinds.validate.pod', 'kinds.validate.deployment'], async () => {
  // Each call gets a fresh object (validateObject owns and mutates its argument); building
  // one costs about 0.1 us of the figure.
  validateObject(Pods, smallPod(0));
  const podOps = await opsPerSecond((i) => {
    const r = validateObject(Pods, smallPod(i));
    if (r.causes.length) throw new Error('invalid');
  }, 1000);
  report('kinds.validate.pod', podOps, 'ops/s');
  const depOps = await opsPerSecond((i) => {
    const r = validateObject(Deployments, deployment(i));
    if (r.causes.length) throw new Error('invalid');
  }, 1000);
  report('kinds.validate.deployment', depOps, 'ops/s');
});
