/**
 * core/v1 ServiceAccount: an identity for processes in pods.
 */
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, keyedList, obj, str } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { ObjectReferenceSchema } from './endpoints.kind.js';

/** The schema of a ServiceAccount. */
export const ServiceAccountSchema = objectSchema(
  'A ServiceAccount: an identity for processes that run in pods, with its API credentials.',
  {
    secrets: keyedList(ObjectReferenceSchema, 'name', 'Secrets pods running as this account may use (legacy token secrets).'),
    imagePullSecrets: atomicList(
      obj({ name: str('Name of the Secret.') }, 'A reference to a Secret.'),
      'Registry credentials added to pods running as this account.',
    ),
    automountServiceAccountToken: bool('Whether pods running as this account get a token mounted automatically.'),
  },
);

/** A ServiceAccount. */
export type ServiceAccount = z.infer<typeof ServiceAccountSchema> & KubeObject;

/** core/v1 serviceaccounts. */
export const ServiceAccounts: ResourceDefinition<ServiceAccount> = defineKind<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
  shortNames: ['sa'],
  subresources: { others: ['token'] },
  schema: ServiceAccountSchema,
  description: 'A ServiceAccount: an identity for processes that run in pods, with its API credentials.',
  openAPIName: 'io.k8s.api.core.v1.ServiceAccount',
  printerColumns: [column('Secrets', 'integer', 'Number of secrets.', (o) => ((o as ServiceAccount).secrets ?? []).length), AGE_COLUMN],
});
