/**
 * batch/v1 Job: runs pods until a number of them complete successfully.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, conditionList, field, int32, loose, obj, oneOf, reqStr, str, time } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { AGE_COLUMN, column, humanDuration, pick, selectorString, templateColumns } from '../printers.js';
import { defaultPodTemplate } from '../core/pod.defaults.js';
import { immutableField, invalidValue } from '../validation/field-errors.js';
import { jsonEqual } from '../validation/validate-object.js';
import { nonNegative } from '../validation/pod.validation.js';
import { validateWorkload } from '../validation/workload.validation.js';

/** The label a generated Job selector matches: the Job's uid. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/** The label naming the Job on its pods. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

const JobConditionSchema = obj(
  {
    type: reqStr('Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
    status: reqStr('True, False or Unknown.'),
    lastProbeTime: time('When the condition was last checked.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason of the last transition.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a Job's state.",
);

/** The spec of a Job. */
export const JobSpecSchema = obj(
  {
    parallelism: int32('Most pods running at once; 1 when unset.'),
    completions: int32('Successful pods needed; unset means any success completes the Job (work queue).'),
    activeDeadlineSeconds: z
      .int()
      .optional()
      .meta({ description: 'Seconds the Job may run before it is failed (DeadlineExceeded).', format: 'int64' }),
    podFailurePolicy: loose('Rules that fail the Job or ignore a pod failure by exit code or condition (accepted loosely).'),
    successPolicy: loose('When an Indexed Job counts as succeeded before all indexes complete (accepted loosely).'),
    backoffLimit: int32('Pod failures before the Job is failed; 6 when unset.'),
    backoffLimitPerIndex: int32('Pod failures per index before the index fails (Indexed Jobs).'),
    maxFailedIndexes: int32('Failed indexes before the Job fails (with backoffLimitPerIndex).'),
    selector: field(LabelSelectorSchema, "Selects the Job's pods; generated from the Job's uid unless manualSelector."),
    manualSelector: bool('Use the given selector instead of generating one.'),
    template: PodTemplateSpecSchema.meta({ description: 'The pods to run; restartPolicy must be OnFailure or Never.' }),
    ttlSecondsAfterFinished: int32('Seconds after completion or failure before the Job is deleted.'),
    completionMode: oneOf(['NonIndexed', 'Indexed'], 'NonIndexed (default) or Indexed: each pod gets an index 0..completions-1.'),
    suspend: bool('When true, no pods are created and running ones are deleted.'),
    podReplacementPolicy: oneOf(['TerminatingOrFailed', 'Failed'], 'When a replacement pod is created.'),
    managedBy: str('The controller that manages the Job; the built-in one when unset.'),
  },
  'The desired state of a Job.',
);

/** The schema of a Job. */
export const JobSchema = objectSchema('A Job: runs pods until a number of them complete successfully.', {
  spec: field(JobSpecSchema, 'The desired state of the Job.'),
  status: field(
    obj(
      {
        conditions: conditionList(JobConditionSchema, 'Current conditions of the Job.', 'atomic'),
        startTime: time('When the Job controller started the Job.'),
        completionTime: time('When the Job completed.'),
        active: int32('Pods pending or running.'),
        succeeded: int32('Pods that succeeded.'),
        failed: int32('Pods that failed.'),
        terminating: int32('Pods terminating.'),
        completedIndexes: str('Completed indexes, e.g. 1,3-5.'),
        failedIndexes: str('Failed indexes.'),
        uncountedTerminatedPods: field(
          obj(
            { succeeded: atomicList(z.string(), 'UIDs of succeeded pods.'), failed: atomicList(z.string(), 'UIDs of failed pods.') },
            'Finished pods not yet counted.',
          ),
          'Finished pods not yet counted in succeeded/failed.',
        ),
        ready: int32('Active pods that are ready.'),
      },
      'The observed state of a Job.',
    ),
    'The observed state of the Job.',
  ),
});

/** A Job. */
export type Job = z.infer<typeof JobSchema> & KubeObject;
/** The spec of a Job. */
export type JobSpec = z.infer<typeof JobSpecSchema>;

/** Applies Job defaults to a spec (also used by CronJob templates). */
export function defaultJobSpec(s: JobSpec): void {
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplate(s.template);
}

/** Validates a Job spec (also used by CronJob templates, with `generated` selectors not yet set). */
export function validateJobSpec(s: JobSpec | undefined, prefix = 'spec'): StatusCause[] {
  const out: StatusCause[] = validateWorkload(s as never, {
    kind: 'Job',
    restartPolicies: ['OnFailure', 'Never'],
    selectorOptional: true,
  }).map((c) => ({ ...c, field: c.field?.replace(/^spec/, prefix) ?? '' }));
  if (!s) return out;
  nonNegative(out, `${prefix}.parallelism`, s.parallelism);
  nonNegative(out, `${prefix}.completions`, s.completions);
  nonNegative(out, `${prefix}.backoffLimit`, s.backoffLimit);
  nonNegative(out, `${prefix}.ttlSecondsAfterFinished`, s.ttlSecondsAfterFinished);
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds <= 0)
    out.push(invalidValue(`${prefix}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be greater than or equal to 1'));
  if (s.completionMode === 'Indexed' && s.completions === undefined)
    out.push({ reason: 'FieldValueRequired', field: `${prefix}.completions`, message: 'Required value: when completion mode is Indexed' });
  if (s.template?.spec && s.template.spec.restartPolicy === undefined)
    out.push({
      reason: 'FieldValueRequired',
      field: `${prefix}.template.spec.restartPolicy`,
      message: 'Required value: valid values: "OnFailure", "Never"',
    });
  return out;
}

function jobStatus(j: Job): string {
  const has = (t: string) => (j.status?.conditions ?? []).some((c) => c.type === t && c.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(j: Job): string {
  const done = j.status?.succeeded ?? 0;
  if (j.spec?.completions !== undefined) return `${done}/${j.spec.completions}`;
  const p = j.spec?.parallelism ?? 0;
  return p > 1 ? `${done}/1 of ${p}` : `${done}/1`;
}

function jobDuration(j: Job, now: number): string {
  const start = j.status?.startTime;
  if (!start) return '';
  const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

/** batch/v1 jobs. */
export const Jobs: ResourceDefinition<Job> = defineKind<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  namespaced: true,
  categories: ['all'],
  subresources: { status: true },
  schema: JobSchema,
  description: 'A Job: runs pods until a number of them complete successfully.',
  openAPIName: 'io.k8s.api.batch.v1.Job',
  strategy: {
    tracksGeneration: true,
    default(job) {
      job.spec ??= { template: {} };
      const s = job.spec;
      defaultJobSpec(s);
      // Generate the selector and pod labels from the uid, as Kubernetes' job strategy does on create.
      const uid = job.metadata.uid;
      if (s.manualSelector !== true && uid && !s.selector) {
        s.selector = { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } };
        s.template.metadata ??= {};
        const labels = (s.template.metadata.labels ??= {});
        labels[JOB_CONTROLLER_UID_LABEL] = uid;
        labels['controller-uid'] = uid;
        if (job.metadata.name) {
          labels[JOB_NAME_LABEL] = job.metadata.name;
          labels['job-name'] = job.metadata.name;
        }
      }
    },
    validate(job, old) {
      const out = validateJobSpec(job.spec);
      // The template may change only while the Job is suspended (to adjust scheduling before it starts).
      if (old?.spec && !old.spec.suspend && !jsonEqual(job.spec?.template, old.spec.template))
        out.push(immutableField('spec.template', job.spec?.template ?? null));
      return out;
    },
    immutableFields: ['spec.selector', 'spec.completionMode', 'spec.podFailurePolicy', 'spec.backoffLimitPerIndex', 'spec.managedBy'],
    statusFields: ['status'],
    selectableFields: { 'status.successful': (j) => String(j.status?.succeeded ?? 0) },
  },
  printerColumns: [
    column('Status', 'string', 'The status of the Job.', (o) => jobStatus(o as Job)),
    column('Completions', 'string', 'Succeeded pods out of the completions needed.', (o) => jobCompletions(o as Job)),
    column('Duration', 'string', 'How long the Job ran (or has been running).', (o, now) => jobDuration(o as Job, now)),
    AGE_COLUMN,
    ...templateColumns(),
    column('Selector', 'string', 'The label selector.', (o) => selectorString(pick(o, 'spec', 'selector') as never), 1),
  ],
});
