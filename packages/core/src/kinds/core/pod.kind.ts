/**
 * core/v1 Pod: the schema, the strategy (defaults, validation, what an update may change)
 * and the `kubectl get pods` columns.
 */
import type { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { field } from '../schema/fields.js';
import { PodSpecSchema, PodStatusSchema, type PodSpec } from '../schema/pod.schema.js';
import { AGE_COLUMN, ageOf, column, pick } from '../printers.js';
import { forbiddenField, invalidValue } from '../validation/field-errors.js';
import { validatePodSpec } from '../validation/pod.validation.js';
import { jsonEqual } from '../validation/validate-object.js';
import { defaultPodRequests, defaultPodSpec, qosClassOf } from './pod.defaults.js';

/** The schema of a Pod. */
export const PodSchema = objectSchema('A Pod: a group of containers scheduled together onto one node, sharing network and storage.', {
  spec: field(PodSpecSchema, 'The desired state of the pod.'),
  status: field(PodStatusSchema, 'The observed state of the pod, reported by the kubelet.'),
});

/** A Pod. */
export type Pod = z.infer<typeof PodSchema> & KubeObject;

const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Checks that a pod update changes only what Kubernetes lets change. */
function validatePodUpdate(spec: PodSpec | undefined, oldSpec: PodSpec | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  if (!spec || !oldSpec) return out;
  if (oldSpec.activeDeadlineSeconds !== undefined) {
    if (spec.activeDeadlineSeconds === undefined)
      out.push(invalidValue('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (spec.activeDeadlineSeconds > oldSpec.activeDeadlineSeconds)
      out.push(invalidValue('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, `must be less than or equal to previous value`));
  }
  for (const t of oldSpec.tolerations ?? []) {
    if (!(spec.tolerations ?? []).some((n) => jsonEqual(n, t))) {
      out.push(forbiddenField('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  // Compare everything else with the mutable fields masked.
  const mask = (s: PodSpec, images: (string | undefined)[][]): PodSpec => ({
    ...s,
    containers: (s.containers ?? []).map((c, i) => ({ ...c, image: images[0]?.[i] ?? c.image })),
    initContainers: s.initContainers?.map((c, i) => ({ ...c, image: images[1]?.[i] ?? c.image })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    terminationGracePeriodSeconds: undefined,
    schedulingGates: undefined,
    ephemeralContainers: undefined,
  });
  const oldImages = [(oldSpec.containers ?? []).map((c) => c.image), (oldSpec.initContainers ?? []).map((c) => c.image)];
  const newMasked = mask(spec, oldImages);
  const oldMasked = mask(oldSpec, oldImages);
  if (!jsonEqual(newMasked, oldMasked)) out.push(forbiddenField('spec', POD_UPDATE_MESSAGE));
  if ((spec.schedulingGates ?? []).some((g) => !(oldSpec.schedulingGates ?? []).some((o) => o.name === g.name)))
    out.push(forbiddenField('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate'));
  return out;
}

interface StatusLike {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: {
    waiting?: { reason?: string };
    running?: object;
    terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
  };
  lastState?: { terminated?: { finishedAt?: string } };
}

/** Computes the READY, STATUS and RESTARTS cells as `kubectl get pods` shows them. */
export function podSummary(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? { containers: [] };
  const st = pod.status ?? {};
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec.containers ?? []).length + sidecars.size;
  let readyCount = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let reason: string = st.reason || st.phase || '';
  const noteRestart = (s: StatusLike) => {
    restarts += s.restartCount ?? 0;
    const fin = s.lastState?.terminated?.finishedAt;
    if (fin && (!lastRestart || fin > lastRestart)) lastRestart = fin;
  };
  const conditions = st.conditions ?? [];
  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  const podReady = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  let initializing = false;
  const inits = (st.initContainerStatuses ?? []) as StatusLike[];
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i]!;
    noteRestart(s);
    const term = s.state?.terminated;
    const wait = s.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (s.name && sidecars.has(s.name)) {
      if (s.started) {
        if (s.ready) readyCount++;
        continue;
      }
    }
    if (term)
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing || initialized) {
    let hasRunning = false;
    const cs = [...((st.containerStatuses ?? []) as StatusLike[])].reverse();
    for (const s of cs) {
      noteRestart(s);
      const term = s.state?.terminated;
      const wait = s.state?.waiting;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = podReady ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  const restartCell = lastRestart ? `${restarts} (${ageOf(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartCell };
}

/** core/v1 pods. */
export const Pods: ResourceDefinition<Pod> = defineKind<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: { status: true, others: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy'] },
  schema: PodSchema,
  description: PodSchema.meta()?.description as string,
  openAPIName: 'io.k8s.api.core.v1.Pod',
  strategy: {
    default(pod) {
      pod.spec ??= { containers: [] };
      defaultPodSpec(pod.spec);
      defaultPodRequests(pod.spec);
      pod.status ??= {};
      pod.status.phase ??= 'Pending';
      pod.status.qosClass ??= qosClassOf(pod.spec);
    },
    validate(pod, old) {
      const out = validatePodSpec(pod.spec, 'spec');
      if (old) out.push(...validatePodUpdate(pod.spec, old.spec));
      return out;
    },
    statusFields: ['status'],
    selectableFields: {
      'spec.nodeName': (p) => p.spec?.nodeName ?? '',
      'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
      'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
      'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
      'status.phase': (p) => p.status?.phase ?? '',
      'status.podIP': (p) => p.status?.podIP ?? '',
      'status.podIPs': (p) => p.status?.podIPs?.[0]?.ip ?? '',
      'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
    },
  },
  printerColumns: [
    column('Ready', 'string', 'Ready containers out of all containers.', (o, now) => podSummary(o as Pod, now).ready),
    column('Status', 'string', 'The aggregate status of the containers in this pod.', (o, now) => podSummary(o as Pod, now).status),
    column(
      'Restarts',
      'string',
      'Restarts of the containers, with the time of the last one.',
      (o, now) => podSummary(o as Pod, now).restarts,
    ),
    AGE_COLUMN,
    column('IP', 'string', 'IP address of the pod.', (o) => (pick(o, 'status', 'podIP') as string | undefined) || '<none>', 1),
    column('Node', 'string', 'Node the pod is assigned to.', (o) => (pick(o, 'spec', 'nodeName') as string | undefined) || '<none>', 1),
    column(
      'Nominated Node',
      'string',
      'Node nominated for the pod by preemption.',
      (o) => (pick(o, 'status', 'nominatedNodeName') as string | undefined) || '<none>',
      1,
    ),
    column('Readiness Gates', 'string', 'Ready readiness gates out of all readiness gates.', (o) => readinessGates(o as Pod), 1),
  ],
});

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const ok = gates.filter((g) => (pod.status?.conditions ?? []).some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return `${ok}/${gates.length}`;
}
