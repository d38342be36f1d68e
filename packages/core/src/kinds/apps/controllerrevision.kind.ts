/**
 * apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's template.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { loose } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { nonNegative } from '../validation/pod.validation.js';

/** The schema of a ControllerRevision. */
export const ControllerRevisionSchema = objectSchema(
  'A ControllerRevision: an immutable snapshot of state (a template) a controller can roll back to.',
  {
    data: loose('The serialized state of the revision.'),
    revision: z.int().meta({ description: 'The revision number.', format: 'int64' }),
  },
);

/** A ControllerRevision. */
export type ControllerRevision = z.infer<typeof ControllerRevisionSchema> & KubeObject;

/** apps/v1 controllerrevisions. */
export const ControllerRevisions: ResourceDefinition<ControllerRevision> = defineKind<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  namespaced: true,
  schema: ControllerRevisionSchema,
  description: 'A ControllerRevision: an immutable snapshot of state (a template) a controller can roll back to.',
  openAPIName: 'io.k8s.api.apps.v1.ControllerRevision',
  strategy: {
    validate(cr) {
      const out: StatusCause[] = [];
      nonNegative(out, 'revision', cr.revision);
      return out;
    },
    immutableFields: ['data'],
  },
  printerColumns: [
    column('Controller', 'string', 'The owning controller, kind/name.', (o) => {
      const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
      return owner
        ? `${owner.kind.toLowerCase()}.${owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : ''}/${owner.name}`.replace(
            './',
            '/',
          )
        : '<none>';
    }),
    column('Revision', 'integer', 'The revision number.', (o) => (o as ControllerRevision).revision),
    AGE_COLUMN,
  ],
});
