/**
 * core/v1 ResourceQuota and LimitRange: per-namespace limits on aggregate and per-object resources.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, field, obj, reqStr, resourceList, strList } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../validation/quantity.js';

const ScopeSelectorSchema = obj(
  {
    matchExpressions: atomicList(
      obj(
        {
          scopeName: reqStr('Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity.'),
          operator: reqStr('In, NotIn, Exists or DoesNotExist.'),
          values: strList('Values for In and NotIn.'),
        },
        'A scope requirement.',
      ),
      'Requirements on the scopes of the objects tracked.',
    ),
  },
  'Selects the objects a quota tracks by scope.',
);

/** The schema of a ResourceQuota. */
export const ResourceQuotaSchema = objectSchema('A ResourceQuota: limits on the total resources and object counts in a namespace.', {
  spec: field(
    obj(
      {
        hard: resourceList('The limit per resource, e.g. pods: 10, requests.cpu: 4, count/deployments.apps: 5.'),
        scopes: strList('Scopes that restrict which objects the quota tracks.'),
        scopeSelector: field(ScopeSelectorSchema, 'Scope requirements the tracked objects must meet.'),
      },
      'The desired state of a ResourceQuota.',
    ),
    'The limits.',
  ),
  status: field(
    obj(
      { hard: resourceList('The enforced limits.'), used: resourceList('Current usage per resource.') },
      'The observed state of a ResourceQuota.',
    ),
    'Enforced limits and current usage.',
  ),
});

/** A ResourceQuota. */
export type ResourceQuota = z.infer<typeof ResourceQuotaSchema> & KubeObject;

function validateResourceList(out: StatusCause[], list: Record<string, string | number> | undefined, path: string): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (q === undefined) out.push(invalidValue(`${path}[${k}]`, v, QUANTITY_FORMAT_MESSAGE));
    else if (q < 0) out.push(invalidValue(`${path}[${k}]`, v, 'must be greater than or equal to 0'));
  }
}

function quotaCell(q: ResourceQuota, limits: boolean): string {
  const hard = q.status?.hard ?? q.spec?.hard ?? {};
  const used = q.status?.used ?? {};
  return Object.keys(hard)
    .filter((k) => k.startsWith('limits.') === limits)
    .sort()
    .map((k) => `${k}: ${used[k] ?? 0}/${hard[k]}`)
    .join(', ');
}

const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];

/** core/v1 resourcequotas. */
export const ResourceQuotas: ResourceDefinition<ResourceQuota> = defineKind<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  namespaced: true,
  shortNames: ['quota'],
  subresources: { status: true },
  schema: ResourceQuotaSchema,
  description: 'A ResourceQuota: limits on the total resources and object counts in a namespace.',
  openAPIName: 'io.k8s.api.core.v1.ResourceQuota',
  strategy: {
    validate(q) {
      const out: StatusCause[] = [];
      validateResourceList(out, q.spec?.hard, 'spec.hard');
      (q.spec?.scopes ?? []).forEach((s, i) => {
        if (!QUOTA_SCOPES.includes(s)) out.push(notSupported(`spec.scopes[${i}]`, s, QUOTA_SCOPES));
      });
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    AGE_COLUMN,
    column('Request', 'string', 'Used and hard limits of requests and counts.', (o) => quotaCell(o as ResourceQuota, false)),
    column('Limit', 'string', 'Used and hard limits of limits.', (o) => quotaCell(o as ResourceQuota, true)),
  ],
});

const LimitRangeItemSchema = obj(
  {
    type: reqStr('What the limits apply to: Pod, Container or PersistentVolumeClaim.'),
    max: resourceList('Most of each resource allowed.'),
    min: resourceList('Least of each resource allowed.'),
    default: resourceList('Default limits when a container sets none.'),
    defaultRequest: resourceList('Default requests when a container sets none.'),
    maxLimitRequestRatio: resourceList('Largest allowed limit/request ratio per resource.'),
  },
  'Limits for one type of object.',
);

/** The schema of a LimitRange. */
export const LimitRangeSchema = objectSchema(
  'A LimitRange: default, minimum and maximum resources per pod, container or claim in a namespace.',
  {
    spec: field(
      obj(
        {
          limits: atomicList(LimitRangeItemSchema, 'The limits, per object type.')
            .unwrap()
            .meta({ description: 'The limits, per object type.', 'x-kubernetes-list-type': 'atomic' }),
        },
        'The desired state of a LimitRange.',
      ),
      'The limits.',
    ),
  },
);

/** A LimitRange. */
export type LimitRange = z.infer<typeof LimitRangeSchema> & KubeObject;

/** core/v1 limitranges. */
export const LimitRanges: ResourceDefinition<LimitRange> = defineKind<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  namespaced: true,
  shortNames: ['limits'],
  schema: LimitRangeSchema,
  description: 'A LimitRange: default, minimum and maximum resources per pod, container or claim in a namespace.',
  openAPIName: 'io.k8s.api.core.v1.LimitRange',
  strategy: {
    validate(lr) {
      const out: StatusCause[] = [];
      if (!lr.spec) out.push(requiredValue('spec'));
      (lr.spec?.limits ?? []).forEach((l, i) => {
        const p = `spec.limits[${i}]`;
        for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const)
          validateResourceList(out, l[k], `${p}.${k}`);
        for (const [r, min] of Object.entries(l.min ?? {})) {
          const max = l.max?.[r];
          if (max !== undefined && (parseQuantity(min) ?? 0) > (parseQuantity(max) ?? 0))
            out.push(invalidValue(`${p}.min[${r}]`, min, `min value ${min} is greater than max value ${max}`));
        }
      });
      return out;
    },
  },
  printerColumns: [column('Created At', 'date', 'When the limit range was created.', (o) => o.metadata.creationTimestamp ?? '')],
});
