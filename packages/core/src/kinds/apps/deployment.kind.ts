/**
 * apps/v1 Deployment: declarative updates of ReplicaSets and their pods.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema, WORKLOAD_SCALE } from '../definition.js';
import { bool, field, int32, int64, obj, oneOf } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { RollingUpdateDeploymentSchema, workloadConditions } from '../schema/workload.schema.js';
import { AGE_COLUMN, column, pick, selectorString, templateColumns } from '../printers.js';
import { defaultPodTemplate } from '../core/pod.defaults.js';
import { forbiddenField, invalidValue } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';
import { validateWorkload } from '../validation/workload.validation.js';

const PERCENT = /^[0-9]+%$/;

/** Validates an int-or-string that is a count or a percentage (`maxSurge`, `maxUnavailable`, `minAvailable`). */
export function validateIntOrPercent(out: StatusCause[], path: string, v: number | string | undefined): void {
  if (v === undefined) return;
  if (typeof v === 'number') return nonNegative(out, path, v);
  if (!PERCENT.test(v)) {
    out.push(
      invalidValue(
        path,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
    return;
  }
  if (Number(v.slice(0, -1)) > 100) out.push(invalidValue(path, v, 'must not be greater than 100%'));
}

/** Whether an int-or-string count/percentage is zero. */
export function isZero(v: number | string | undefined): boolean {
  return v === 0 || v === '0%' || v === '0';
}

/** The schema of a Deployment. */
export const DeploymentSchema = objectSchema(
  'A Deployment: keeps a number of replicas of a pod template running and rolls out changes to it.',
  {
    spec: field(
      obj(
        {
          replicas: int32('Desired number of pods; 1 when unset.'),
          selector: field(
            LabelSelectorSchema,
            "Selects the pods (and ReplicaSets) the Deployment manages; must match the template's labels and cannot change.",
          ),
          template: PodTemplateSpecSchema.meta({ description: 'The pods to create; a change to it rolls out a new ReplicaSet.' }),
          strategy: field(
            obj(
              {
                type: oneOf(['Recreate', 'RollingUpdate'], 'Recreate (kill all, then create) or RollingUpdate (the default).'),
                rollingUpdate: field(RollingUpdateDeploymentSchema, 'Parameters of a RollingUpdate.'),
              },
              'How old pods are replaced by new ones.',
            ),
            'How old pods are replaced by new ones.',
          ).meta({ description: 'How old pods are replaced by new ones.', 'x-kubernetes-patch-strategy': 'retainKeys' }),
          minReadySeconds: int32('Seconds a new pod must be ready, without any container crashing, to count as available.'),
          revisionHistoryLimit: int32('Old ReplicaSets kept for rollback; 10 when unset.'),
          paused: bool('When true, changes to the template are not rolled out.'),
          progressDeadlineSeconds: int32(
            'Seconds a rollout may make no progress before it is reported failed (ProgressDeadlineExceeded); 600 when unset.',
          ),
        },
        'The desired state of a Deployment.',
      ),
      'The desired state of the Deployment.',
    ),
    status: field(
      obj(
        {
          observedGeneration: int64('The generation the controller last acted on.'),
          replicas: int32('Pods targeted by the Deployment (old and new).'),
          updatedReplicas: int32('Pods of the current template.'),
          readyReplicas: int32('Ready pods.'),
          availableReplicas: int32('Pods ready for at least minReadySeconds.'),
          unavailableReplicas: int32('Pods still needed for the Deployment to be fully available.'),
          terminatingReplicas: int32('Pods being terminated.'),
          conditions: workloadConditions('Deployment'),
          collisionCount: int32('Count of hash collisions of the template; used to name new ReplicaSets.'),
        },
        'The observed state of a Deployment.',
      ),
      'The observed state of the Deployment, written by its controller.',
    ),
  },
);

/** A Deployment. */
export type Deployment = z.infer<typeof DeploymentSchema> & KubeObject;

/** apps/v1 deployments. */
export const Deployments: ResourceDefinition<Deployment> = defineKind<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: { status: true, scale: WORKLOAD_SCALE },
  schema: DeploymentSchema,
  description: 'A Deployment: keeps a number of replicas of a pod template running and rolls out changes to it.',
  openAPIName: 'io.k8s.api.apps.v1.Deployment',
  strategy: {
    tracksGeneration: true,
    default(d) {
      d.spec ??= { template: {} };
      const s = d.spec;
      s.replicas ??= 1;
      s.strategy ??= {};
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') {
        s.strategy.rollingUpdate ??= {};
        s.strategy.rollingUpdate.maxUnavailable ??= '25%';
        s.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      defaultPodTemplate(s.template);
    },
    validate(d) {
      const s = d.spec;
      const out = validateWorkload(s, { kind: 'Deployment' });
      if (!s) return out;
      nonNegative(out, 'spec.revisionHistoryLimit', s.revisionHistoryLimit);
      if (s.progressDeadlineSeconds !== undefined) {
        nonNegative(out, 'spec.progressDeadlineSeconds', s.progressDeadlineSeconds);
        if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0))
          out.push(invalidValue('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
      }
      const st = s.strategy;
      if (st?.type === 'Recreate' && st.rollingUpdate)
        out.push(forbiddenField('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      const ru = st?.rollingUpdate;
      if (ru && st?.type !== 'Recreate') {
        validateIntOrPercent(out, 'spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable);
        validateIntOrPercent(out, 'spec.strategy.rollingUpdate.maxSurge', ru.maxSurge);
        if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge))
          out.push(invalidValue('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      return out;
    },
    immutableFields: ['spec.selector'],
    statusFields: ['status'],
  },
  printerColumns: [
    column(
      'Ready',
      'string',
      'Ready pods out of desired pods.',
      (o) => `${pick(o, 'status', 'readyReplicas') ?? 0}/${pick(o, 'spec', 'replicas') ?? 0}`,
    ),
    column('Up-to-date', 'integer', 'Pods running the current template.', (o) => pick(o, 'status', 'updatedReplicas') ?? 0),
    column('Available', 'integer', 'Pods available to users.', (o) => pick(o, 'status', 'availableReplicas') ?? 0),
    AGE_COLUMN,
    ...templateColumns(),
    column('Selector', 'string', 'The label selector of the Deployment.', (o) => selectorString(pick(o, 'spec', 'selector') as never), 1),
  ],
});
