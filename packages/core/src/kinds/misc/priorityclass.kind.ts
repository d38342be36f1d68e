/**
 * scheduling.k8s.io/v1 PriorityClass: a named pod priority.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { bool, oneOf, str } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { forbiddenField, invalidValue } from '../validation/field-errors.js';

/** The largest priority a user-defined PriorityClass may have. */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;

/** The schema of a PriorityClass. */
export const PriorityClassSchema = objectSchema(
  'A PriorityClass: maps a name to a pod priority; higher-priority pods schedule first and may preempt lower ones.',
  {
    value: z.int32().meta({ description: 'The priority of pods of this class; at most 1000000000 for user classes.', format: 'int32' }),
    globalDefault: bool('Whether pods without a priorityClassName get this class; only one class may be the default.'),
    description: str('When to use this class.'),
    preemptionPolicy: oneOf(
      ['Never', 'PreemptLowerPriority'],
      'Whether pods of this class may preempt lower-priority pods; PreemptLowerPriority when unset.',
    ),
  },
);

/** A PriorityClass. */
export type PriorityClass = z.infer<typeof PriorityClassSchema> & KubeObject;

const SYSTEM_CLASSES: Record<string, number> = { 'system-cluster-critical': 2_000_000_000, 'system-node-critical': 2_000_001_000 };

/** scheduling.k8s.io/v1 priorityclasses. */
export const PriorityClasses: ResourceDefinition<PriorityClass> = defineKind<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  namespaced: false,
  shortNames: ['pc'],
  schema: PriorityClassSchema,
  description: 'A PriorityClass: maps a name to a pod priority; higher-priority pods schedule first and may preempt lower ones.',
  openAPIName: 'io.k8s.api.scheduling.v1.PriorityClass',
  strategy: {
    default(pc) {
      pc.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    validate(pc, old) {
      const out: StatusCause[] = [];
      const name = pc.metadata.name ?? '';
      if (name in SYSTEM_CLASSES) {
        if (pc.value !== SYSTEM_CLASSES[name])
          out.push(invalidValue('value', pc.value, `value of system priority class ${name} must be ${SYSTEM_CLASSES[name]}`));
      } else {
        if (name.startsWith('system-'))
          out.push(invalidValue('metadata.name', name, "priority class names with 'system-' prefix are reserved"));
        if (pc.value > HIGHEST_USER_PRIORITY)
          out.push(invalidValue('value', pc.value, `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
      }
      if (old) {
        if (old.value !== pc.value) out.push(forbiddenField('value', 'may not be changed in an update.'));
        if ((old.preemptionPolicy ?? 'PreemptLowerPriority') !== (pc.preemptionPolicy ?? 'PreemptLowerPriority'))
          out.push(invalidValue('preemptionPolicy', pc.preemptionPolicy, 'field is immutable'));
      }
      return out;
    },
  },
  printerColumns: [
    column('Value', 'integer', 'The priority.', (o) => (o as PriorityClass).value),
    column('Global-Default', 'boolean', 'Whether this is the default class.', (o) => (o as PriorityClass).globalDefault ?? false),
    AGE_COLUMN,
    column(
      'PreemptionPolicy',
      'string',
      'Whether pods of the class may preempt others.',
      (o) => (o as PriorityClass).preemptionPolicy ?? '',
    ),
  ],
});
