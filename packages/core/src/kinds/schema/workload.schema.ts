/**
 * Zod schemas shared by apps/v1 workloads: rolling update parameters and workload conditions.
 */
import { z } from 'zod';
import { conditionList, int64, intOrString, obj, reqStr, str, time } from './fields.js';

/** A condition of a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController. */
export const WorkloadConditionSchema = obj(
  {
    type: reqStr('Type of the condition, e.g. Available, Progressing, ReplicaFailure.'),
    status: reqStr('True, False or Unknown.'),
    lastUpdateTime: time('When the condition was last updated (Deployments).'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason of the last transition.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a workload's state.",
);

/** The conditions list of a workload status. */
export const workloadConditions = (what: string) => conditionList(WorkloadConditionSchema, `Current conditions of the ${what}.`);

/** Rolling update parameters of a Deployment. */
export const RollingUpdateDeploymentSchema = obj(
  {
    maxUnavailable: intOrString(
      'Most pods that may be unavailable during the update: a number or a percentage of desired pods (25% when unset).',
    ),
    maxSurge: intOrString('Most pods that may exist above the desired count during the update: a number or a percentage (25% when unset).'),
  },
  'How fast a rolling update replaces pods.',
);

/** A workload condition. */
export type WorkloadCondition = z.infer<typeof WorkloadConditionSchema>;
/** The `observedGeneration` field of workload statuses. */
export const observedGeneration = () => int64('The generation the controller last acted on.');
