/**
 * apiregistration.k8s.io/v1 APIService: a group-version served locally or by an extension API server.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { bool, conditionList, field, int32, obj, str } from '../schema/fields.js';
import { ConditionSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';

/** The schema of an APIService. */
export const APIServiceSchema = objectSchema('An APIService: a group-version and the server (local, or a Service) that serves it.', {
  spec: field(
    obj(
      {
        service: field(
          obj(
            {
              namespace: str('Namespace of the Service.'),
              name: str('Name of the Service.'),
              port: int32('Port of the Service; 443 when unset.'),
            },
            'A Service reference.',
          ),
          'The Service of the extension API server; local when unset.',
        ),
        group: str('The API group served.'),
        version: str('The API version served.'),
        insecureSkipTLSVerify: bool('Skip TLS verification of the extension server (discouraged).'),
        caBundle: str("PEM CA bundle (base64) that validates the extension server's certificate."),
        groupPriorityMinimum: z.int32().meta({ description: 'Priority of the group among groups (higher first).', format: 'int32' }),
        versionPriority: z.int32().meta({ description: 'Priority of the version within its group (higher first).', format: 'int32' }),
      },
      'The desired state of an APIService.',
    ),
    'Where the group-version is served from.',
  ),
  status: field(
    obj({ conditions: conditionList(ConditionSchema, 'Current conditions (Available).') }, 'The observed state of an APIService.'),
    'The observed state of the APIService.',
  ),
});

/** An APIService. */
export type APIService = z.infer<typeof APIServiceSchema> & KubeObject;

/** apiregistration.k8s.io/v1 apiservices. */
export const APIServices: ResourceDefinition<APIService> = defineKind<APIService>({
  group: 'apiregistration.k8s.io',
  version: 'v1',
  kind: 'APIService',
  plural: 'apiservices',
  namespaced: false,
  categories: ['api-extensions'],
  subresources: { status: true },
  schema: APIServiceSchema,
  description: 'An APIService: a group-version and the server (local, or a Service) that serves it.',
  openAPIName: 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService',
  strategy: {
    default(a) {
      if (a.spec?.service) a.spec.service.port ??= 443;
    },
    validate(a) {
      const out: StatusCause[] = [];
      const s = a.spec;
      if (!s) return [requiredValue('spec')];
      const expected = s.group ? `${s.version}.${s.group}` : s.version;
      if (a.metadata.name !== expected) out.push(invalidValue('metadata.name', a.metadata.name, `must be ${expected}`));
      if (!s.version) out.push(requiredValue('spec.version'));
      if (s.groupPriorityMinimum <= 0 || s.groupPriorityMinimum > 20000)
        out.push(invalidValue('spec.groupPriorityMinimum', s.groupPriorityMinimum, 'must be positive and less than 20000'));
      if (s.versionPriority <= 0 || s.versionPriority > 1000)
        out.push(invalidValue('spec.versionPriority', s.versionPriority, 'must be positive and less than 1000'));
      if (s.service && !s.insecureSkipTLSVerify && !s.caBundle)
        out.push(requiredValue('spec.caBundle', 'if insecureSkipTLSVerify is not true, caBundle is required'));
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Service', 'string', 'The serving Service, or Local.', (o) => {
      const svc = (o as APIService).spec?.service;
      return svc?.name ? `${svc.namespace ?? ''}/${svc.name}` : 'Local';
    }),
    column('Available', 'string', 'Whether the API is available.', (o) => {
      const c = ((o as APIService).status?.conditions ?? []).find((x) => x.type === 'Available');
      if (!c) return 'Unknown';
      return c.status === 'True' ? 'True' : `${c.status} (${c.reason ?? ''})`;
    }),
    AGE_COLUMN,
  ],
});
