/**
 * core/v1 Namespace: its phase defaults to Active and it always carries the
 * `kubernetes.io/metadata.name` label naming it.
 */
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { conditionList, field, obj, oneOf, reqStr, str, strList, time } from '../schema/fields.js';
import { AGE_COLUMN, column, pick } from '../printers.js';
import { invalidValue } from '../validation/field-errors.js';

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const NamespaceConditionSchema = obj(
  {
    type: reqStr('Type of the condition, e.g. NamespaceDeletionContentFailure.'),
    status: reqStr('True, False or Unknown.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason of the last transition.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a namespace's state.",
);

/** The schema of a Namespace. */
export const NamespaceSchema = objectSchema('A Namespace: a scope for names, and a unit of policy and quota.', {
  spec: field(
    obj({ finalizers: strList('Finalizers that must be emptied before the namespace is removed.') }, 'The desired state of a namespace.'),
    'The desired state of the namespace.',
  ),
  status: field(
    obj(
      {
        phase: oneOf(['Active', 'Terminating'], 'Active, or Terminating once deleted and while its content is removed.'),
        conditions: conditionList(NamespaceConditionSchema, 'Current conditions of the namespace.'),
      },
      'The observed state of a namespace.',
    ),
    'The observed state of the namespace.',
  ),
});

/** A Namespace. */
export type Namespace = z.infer<typeof NamespaceSchema> & KubeObject;

/** core/v1 namespaces. */
export const Namespaces: ResourceDefinition<Namespace> = defineKind<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true, others: ['finalize'] },
  schema: NamespaceSchema,
  description: 'A Namespace: a scope for names, and a unit of policy and quota.',
  openAPIName: 'io.k8s.api.core.v1.Namespace',
  nameRule: 'dns1123Label',
  strategy: {
    default(ns) {
      ns.status ??= {};
      ns.status.phase ??= 'Active';
      if (ns.metadata.name) {
        ns.metadata.labels ??= {};
        ns.metadata.labels[NAMESPACE_NAME_LABEL] = ns.metadata.name;
      }
      if (!ns.spec) ns.spec = { finalizers: ['kubernetes'] };
      else ns.spec.finalizers ??= ['kubernetes'];
    },
    validate(ns) {
      const v = ns.metadata.labels?.[NAMESPACE_NAME_LABEL];
      return v !== undefined && v !== ns.metadata.name
        ? [invalidValue(`metadata.labels[${NAMESPACE_NAME_LABEL}]`, v, 'must match the namespace name')]
        : [];
    },
    statusFields: ['status'],
    selectableFields: { 'status.phase': (ns) => ns.status?.phase ?? '' },
  },
  printerColumns: [column('Status', 'string', 'The phase of the namespace.', (o) => pick(o, 'status', 'phase') ?? ''), AGE_COLUMN],
});
