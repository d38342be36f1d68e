/**
 * batch/v1 CronJob: creates Jobs on a cron schedule.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, field, int32, int64, obj, oneOf, reqStr, str, time } from '../schema/fields.js';
import { ObjectMetaSchema } from '../schema/meta.schema.js';
import { ObjectReferenceSchema } from '../core/endpoints.kind.js';
import { AGE_COLUMN, ageOf, column, listOrNone, pick, selectorString } from '../printers.js';
import { invalidValue } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';
import { defaultJobSpec, JobSpecSchema, validateJobSpec } from './job.kind.js';

/** The schema of a CronJob. */
export const CronJobSchema = objectSchema('A CronJob: creates a Job on a repeating schedule.', {
  spec: field(
    obj(
      {
        schedule: reqStr('The schedule in cron format, e.g. "*/5 * * * *" or "@hourly".'),
        timeZone: str("Time zone of the schedule, e.g. Etc/UTC; the controller's local zone when unset."),
        startingDeadlineSeconds: int64('Seconds after a missed schedule within which the Job may still start.'),
        concurrencyPolicy: oneOf(
          ['Allow', 'Forbid', 'Replace'],
          'What to do when a run is due while the previous one is still running; Allow when unset.',
        ),
        suspend: bool('When true, no new runs start.'),
        jobTemplate: obj(
          {
            metadata: field(ObjectMetaSchema, 'Metadata of the Jobs created.'),
            spec: field(JobSpecSchema, 'Spec of the Jobs created.'),
          },
          'The Job to create at each run.',
        ),
        successfulJobsHistoryLimit: int32('Finished successful Jobs kept; 3 when unset.'),
        failedJobsHistoryLimit: int32('Failed Jobs kept; 1 when unset.'),
      },
      'The desired state of a CronJob.',
    ),
    'The desired state of the CronJob.',
  ),
  status: field(
    obj(
      {
        active: atomicList(ObjectReferenceSchema, 'Jobs currently running.'),
        lastScheduleTime: time('When a Job was last scheduled.'),
        lastSuccessfulTime: time('When a Job last completed successfully.'),
      },
      'The observed state of a CronJob.',
    ),
    'The observed state of the CronJob.',
  ),
});

/** A CronJob. */
export type CronJob = z.infer<typeof CronJobSchema> & KubeObject;

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = [
  [],
  [],
  [],
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
];

/** Returns why a standard (5-field) cron schedule is invalid, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (s.startsWith('@'))
    return DESCRIPTORS.includes(s) || /^@every \d+(ns|us|ms|s|m|h)+/.test(s) ? undefined : `unrecognized descriptor: ${s}`;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${s}`;
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = FIELD_RANGES[i]!;
    for (const part of fields[i]!.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}`;
      if (range === '*' || range === '?') continue;
      for (const v of range!.split('-')) {
        const n = /^\d+$/.test(v) ? Number(v) : NAMES[i]!.indexOf(v.toLowerCase()) + (i === 3 ? 1 : 0);
        if ((!/^\d+$/.test(v) && NAMES[i]!.indexOf(v.toLowerCase()) < 0) || n < lo || n > hi) return `failed to parse int from ${v}`;
      }
    }
  }
  return undefined;
}

/** batch/v1 cronjobs. */
export const CronJobs: ResourceDefinition<CronJob> = defineKind<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: { status: true },
  schema: CronJobSchema,
  description: 'A CronJob: creates a Job on a repeating schedule.',
  openAPIName: 'io.k8s.api.batch.v1.CronJob',
  strategy: {
    tracksGeneration: true,
    default(cj) {
      cj.spec ??= { schedule: '', jobTemplate: {} };
      const s = cj.spec;
      s.concurrencyPolicy ??= 'Allow';
      s.suspend ??= false;
      s.successfulJobsHistoryLimit ??= 3;
      s.failedJobsHistoryLimit ??= 1;
      if (s.jobTemplate.spec) defaultJobSpec(s.jobTemplate.spec);
    },
    validate(cj) {
      const out: StatusCause[] = [];
      const s = cj.spec;
      if (cj.metadata.name && cj.metadata.name.length > 52)
        out.push(invalidValue('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
      if (!s) return out;
      const err = cronScheduleError(s.schedule);
      if (err) out.push(invalidValue('spec.schedule', s.schedule, err));
      nonNegative(out, 'spec.startingDeadlineSeconds', s.startingDeadlineSeconds);
      nonNegative(out, 'spec.successfulJobsHistoryLimit', s.successfulJobsHistoryLimit);
      nonNegative(out, 'spec.failedJobsHistoryLimit', s.failedJobsHistoryLimit);
      if (s.timeZone !== undefined && !/^[A-Za-z0-9_+\-/]+$/.test(s.timeZone))
        out.push(invalidValue('spec.timeZone', s.timeZone, 'unknown time zone'));
      out.push(...validateJobSpec(s.jobTemplate.spec, 'spec.jobTemplate.spec'));
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Schedule', 'string', 'The cron schedule.', (o) => (o as CronJob).spec?.schedule ?? ''),
    column('Timezone', 'string', 'Time zone of the schedule.', (o) => (o as CronJob).spec?.timeZone ?? '<none>'),
    column('Suspend', 'boolean', 'Whether new runs are suspended.', (o) => (o as CronJob).spec?.suspend ?? false),
    column('Active', 'integer', 'Running Jobs.', (o) => ((o as CronJob).status?.active ?? []).length),
    column('Last Schedule', 'string', 'Time since the last run was scheduled.', (o, now) =>
      (o as CronJob).status?.lastScheduleTime ? ageOf((o as CronJob).status!.lastScheduleTime, now) : '<none>',
    ),
    AGE_COLUMN,
    column(
      'Containers',
      'string',
      'Containers of the Job template.',
      (o) =>
        listOrNone(
          ((pick(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers') as { name?: string }[] | undefined) ?? []).map(
            (c) => c.name,
          ),
        ),
      1,
    ),
    column(
      'Images',
      'string',
      'Images of the Job template.',
      (o) =>
        listOrNone(
          ((pick(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers') as { image?: string }[] | undefined) ?? []).map(
            (c) => c.image,
          ),
        ),
      1,
    ),
    column(
      'Selector',
      'string',
      'The label selector of the Job template.',
      (o) => selectorString(pick(o, 'spec', 'jobTemplate', 'spec', 'selector') as never),
      1,
    ),
  ],
});
