/**
 * policy/v1 PodDisruptionBudget and Eviction: limits on voluntary disruption of pods, and
 * the request to evict one pod within them.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { conditionList, field, int64, intOrString, loose, obj, oneOf } from '../schema/fields.js';
import { ConditionSchema, LabelSelectorSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue } from '../validation/field-errors.js';
import { validateLabelSelector } from '../validation/object-meta.validation.js';
import { validateIntOrPercent } from '../apps/deployment.kind.js';

/** The schema of a PodDisruptionBudget. */
export const PodDisruptionBudgetSchema = objectSchema(
  'A PodDisruptionBudget: limits how many pods of a set may be down at once through voluntary disruptions (evictions).',
  {
    spec: field(
      obj(
        {
          minAvailable: intOrString('Pods (number or percentage) that must stay available after an eviction.'),
          selector: field(LabelSelectorSchema, 'The pods the budget covers; an empty selector covers every pod of the namespace.').meta({
            description: 'The pods the budget covers; an empty selector covers every pod of the namespace.',
            'x-kubernetes-patch-strategy': 'replace',
          }),
          maxUnavailable: intOrString('Pods (number or percentage) that may be unavailable after an eviction.'),
          unhealthyPodEvictionPolicy: oneOf(['IfHealthyBudget', 'AlwaysAllow'], 'When pods that are running but not ready may be evicted.'),
        },
        'The desired state of a PodDisruptionBudget.',
      ),
      'The budget.',
    ),
    status: field(
      obj(
        {
          observedGeneration: int64('The generation the controller last acted on.'),
          disruptedPods: z
            .record(z.string(), z.string())
            .optional()
            .meta({ description: 'Pods being evicted, with when the eviction was admitted.' }),
          disruptionsAllowed: z.int32().meta({ description: 'Evictions currently allowed.', format: 'int32' }),
          currentHealthy: z.int32().meta({ description: 'Healthy pods now.', format: 'int32' }),
          desiredHealthy: z.int32().meta({ description: 'Healthy pods required.', format: 'int32' }),
          expectedPods: z.int32().meta({ description: 'Pods counted by the budget.', format: 'int32' }),
          conditions: conditionList(ConditionSchema, 'Current conditions of the budget (DisruptionAllowed).'),
        },
        'The observed state of a PodDisruptionBudget.',
      ),
      'The observed state of the budget, written by the disruption controller.',
    ),
  },
);

/** A PodDisruptionBudget. */
export type PodDisruptionBudget = z.infer<typeof PodDisruptionBudgetSchema> & KubeObject;

/** policy/v1 poddisruptionbudgets. */
export const PodDisruptionBudgets: ResourceDefinition<PodDisruptionBudget> = defineKind<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: { status: true },
  schema: PodDisruptionBudgetSchema,
  description: 'A PodDisruptionBudget: limits how many pods of a set may be down at once through voluntary disruptions (evictions).',
  openAPIName: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  strategy: {
    tracksGeneration: true,
    validate(pdb) {
      const out: StatusCause[] = [];
      const s = pdb.spec ?? {};
      if (s.minAvailable !== undefined && s.maxUnavailable !== undefined)
        out.push(invalidValue('spec', s, 'minAvailable and maxUnavailable cannot be both set'));
      validateIntOrPercent(out, 'spec.minAvailable', s.minAvailable);
      validateIntOrPercent(out, 'spec.maxUnavailable', s.maxUnavailable);
      out.push(...validateLabelSelector(s.selector, 'spec.selector'));
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Min Available', 'string', 'Pods that must stay available.', (o) =>
      String((o as PodDisruptionBudget).spec?.minAvailable ?? 'N/A'),
    ),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.', (o) =>
      String((o as PodDisruptionBudget).spec?.maxUnavailable ?? 'N/A'),
    ),
    column(
      'Allowed Disruptions',
      'integer',
      'Evictions currently allowed.',
      (o) => (o as PodDisruptionBudget).status?.disruptionsAllowed ?? 0,
    ),
    AGE_COLUMN,
  ],
});

/** The schema of an Eviction (the body POSTed to `pods/<name>/eviction`). */
export const EvictionSchema = objectSchema('An Eviction: a request to delete a pod that respects its PodDisruptionBudgets.', {
  deleteOptions: loose('Options of the delete (gracePeriodSeconds, preconditions, ...).'),
});

/** An Eviction. */
export type Eviction = z.infer<typeof EvictionSchema> & KubeObject;

/** policy/v1 Eviction: the body of the `pods/eviction` subresource; never stored. */
export const Evictions: ResourceDefinition<Eviction> = defineKind<Eviction>({
  group: 'policy',
  version: 'v1',
  kind: 'Eviction',
  plural: 'evictions',
  namespaced: true,
  virtual: true,
  nameOptional: false,
  schema: EvictionSchema,
  description: 'An Eviction: a request to delete a pod that respects its PodDisruptionBudgets.',
  openAPIName: 'io.k8s.api.policy.v1.Eviction',
});
