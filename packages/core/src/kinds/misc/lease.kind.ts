/**
 * coordination.k8s.io/v1 Lease: a lock held by one holder for a while (leader election, node heartbeats).
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { field, int32, obj, str } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';

const microTime = (d: string) => str(d, { format: 'date-time' });

/** The schema of a Lease. */
export const LeaseSchema = objectSchema('A Lease: a lock held by one holder for a limited time, renewed while the holder lives.', {
  spec: field(
    obj(
      {
        holderIdentity: str('Identity of the current holder.'),
        leaseDurationSeconds: int32('Seconds candidates wait after the last renewal before taking the lease over.'),
        acquireTime: microTime('When the current holder acquired the lease.'),
        renewTime: microTime('When the holder last renewed the lease.'),
        leaseTransitions: int32('Times the lease changed holders.'),
        strategy: str('Strategy for picking the holder (coordinated leader election).'),
        preferredHolder: str('Holder the lease should go to next.'),
      },
      'The desired state of a Lease.',
    ),
    "The lease's holder and timing.",
  ),
});

/** A Lease. */
export type Lease = z.infer<typeof LeaseSchema> & KubeObject;

/** coordination.k8s.io/v1 leases. */
export const Leases: ResourceDefinition<Lease> = defineKind<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
  schema: LeaseSchema,
  description: 'A Lease: a lock held by one holder for a limited time, renewed while the holder lives.',
  openAPIName: 'io.k8s.api.coordination.v1.Lease',
  strategy: {
    validate(l) {
      const out: StatusCause[] = [];
      const d = l.spec?.leaseDurationSeconds;
      if (d !== undefined && d <= 0) out.push(invalidValue('spec.leaseDurationSeconds', d, 'must be greater than 0'));
      nonNegative(out, 'spec.leaseTransitions', l.spec?.leaseTransitions);
      return out;
    },
  },
  printerColumns: [column('Holder', 'string', 'The current holder.', (o) => (o as Lease).spec?.holderIdentity ?? ''), AGE_COLUMN],
});
