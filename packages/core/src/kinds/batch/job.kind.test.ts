import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { CronJobs, cronScheduleError, type CronJob } from './cronjob.kind.js';
import { Jobs, type Job } from './job.kind.js';

const template = () => ({
  spec: { restartPolicy: 'Never' as const, containers: [{ name: 'work', image: 'busybox:1.36', command: ['true'] }] },
});
const job = (spec: Partial<NonNullable<Job['spec']>> = {}, uid?: string): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', ...(uid ? { uid } : {}) },
  spec: { template: template(), ...spec },
});

describe('Job', () => {
  it('defaults completions, parallelism, backoff and completion mode', () => {
    const { object, causes } = validateObject(Jobs, job());
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
  });

  it('generates the selector and pod labels from the uid', () => {
    const { object, causes } = validateObject(Jobs, job({}, 'u-1'));
    expect(causes).toEqual([]);
    expect(object.spec!.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(object.spec!.template.metadata!.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u-1',
      'controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'job-name': 'pi',
    });
  });

  it('refuses restartPolicy Always', () => {
    const j = job();
    j.spec!.template.spec!.restartPolicy = 'Always';
    expect(validateObject(Jobs, j).causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it('keeps the selector and (unless suspended) the template immutable', () => {
    const old = deepFreeze(validateObject(Jobs, job({}, 'u-1')).object);
    const next = structuredClone(old) as Job;
    next.spec!.template.spec!.containers[0]!.image = 'busybox:1.37';
    expect(validateObject(Jobs, next, { old }).causes.map((c) => c.field)).toEqual(['spec.template']);
    const sel = structuredClone(old) as Job;
    sel.spec!.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-2' } };
    expect(validateObject(Jobs, sel, { old }).causes.map((c) => c.field)).toContain('spec.selector');
  });

  it('selects jobs by status.successful and prints STATUS and COMPLETIONS', () => {
    const j = { ...job({ completions: 3 }), status: { succeeded: 2, conditions: [{ type: 'Complete', status: 'True' }] } } as Job;
    expect(Jobs.strategy!.selectableFields!['status.successful']!(j)).toBe('2');
    expect(Jobs.printerColumns!.slice(0, 2).map((c) => c.value!(j, 0))).toEqual(['Complete', '2/3']);
  });
});

describe('CronJob', () => {
  const cj = (schedule: string, name = 'tick'): CronJob => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule, jobTemplate: { spec: { template: template() } } },
  });

  it('defaults concurrency, suspend, history limits and the job template', () => {
    const { object, causes } = validateObject(CronJobs, cj('*/5 * * * *'));
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(object.spec!.jobTemplate.spec!.backoffLimit).toBe(6);
  });

  it('parses schedules and rejects bad ones', () => {
    expect(cronScheduleError('0 0 * * MON-FRI')).toBeUndefined();
    expect(cronScheduleError('@hourly')).toBeUndefined();
    expect(cronScheduleError('61 * * * *')).toBe('failed to parse int from 61');
    expect(cronScheduleError('* * *')).toBe('expected exactly 5 fields, found 3: * * *');
    expect(cronScheduleError('TZ=UTC * * * * *')).toBe('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(validateObject(CronJobs, cj('nope')).causes.map((c) => c.field)).toEqual(['spec.schedule']);
  });

  it('limits names to 52 characters', () => {
    expect(validateObject(CronJobs, cj('@daily', 'x'.repeat(53))).causes.map((c) => c.message)).toEqual([
      `Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });
});
