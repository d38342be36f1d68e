/**
 * Defaulting of pods and pod templates, as Kubernetes' `SetDefaults_*` functions do for
 * core/v1: restart and DNS policy, scheduler, grace period, per-container termination
 * message and image pull policy, port protocols, probe timings, volume modes.
 */
import type { Container, Probe } from '../schema/container.schema.js';
import type { PodSpec, PodTemplateSpec } from '../schema/pod.schema.js';
import type { Volume } from '../schema/volume.schema.js';

/** The image pull policy Kubernetes defaults to: Always for `:latest` or untagged images, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container, hostNetwork: boolean): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  for (const p of c.ports ?? []) {
    p.protocol ??= 'TCP';
    if (hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (c.lifecycle?.postStart?.httpGet) c.lifecycle.postStart.httpGet.scheme ??= 'HTTP';
  if (c.lifecycle?.preStop?.httpGet) c.lifecycle.preStop.httpGet.scheme ??= 'HTTP';
}

function defaultRequestsFromLimits(c: Container): void {
  const r = c.resources;
  if (!r?.limits) return;
  for (const k of Object.keys(r.limits)) {
    r.requests ??= {};
    if (r.requests[k] === undefined) r.requests[k] = r.limits[k]!;
  }
}

/**
 * Copies each container's (and init container's) limits to its missing requests, as
 * Kubernetes' `SetDefaults_Pod` does. Pods only: pod templates of workloads keep what their
 * author wrote, and their pods get the default when they are created.
 */
export function defaultPodRequests(spec: PodSpec): void {
  for (const c of spec.initContainers ?? []) defaultRequestsFromLimits(c);
  for (const c of spec.containers ?? []) defaultRequestsFromLimits(c);
}

const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'persistentVolumeClaim',
  'projected',
  'downwardAPI',
  'nfs',
  'csi',
  'ephemeral',
  'image',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'gitRepo',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'azureDisk',
  'vsphereVolume',
  'quobyte',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

/** The volume source fields a Volume may set (exactly one). */
export const volumeSourceNames: readonly string[] = VOLUME_SOURCES;

function defaultVolume(v: Volume): void {
  const rec = v as Record<string, unknown>;
  if (!VOLUME_SOURCES.some((s) => rec[s] !== undefined)) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 0o644;
  if (v.secret) v.secret.defaultMode ??= 0o644;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 0o644;
    for (const i of v.downwardAPI.items ?? []) if (i.fieldRef) i.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= 0o644;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const i of s.downwardAPI?.items ?? []) if (i.fieldRef) i.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.ephemeral?.volumeClaimTemplate?.spec) v.ephemeral.volumeClaimTemplate.spec.volumeMode ??= 'Filesystem';
}

/** Applies Kubernetes' defaults shared by pods and pod templates to a pod spec in place (not `defaultPodRequests`). */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Applies pod defaults to a pod template (workloads). */
export function defaultPodTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.spec ??= { containers: [] };
  defaultPodSpec(t.spec);
}

const EMPTY: Record<string, string | number> = Object.freeze({}) as Record<string, string | number>;

/** The QoS class of a pod from its containers' requests and limits. */
export function qosClassOf(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let anySet = false;
  let guaranteed = true;
  const visit = (c: {
    resources?:
      { requests?: Record<string, string | number> | undefined; limits?: Record<string, string | number> | undefined } | undefined;
  }) => {
    const req = c.resources?.requests ?? EMPTY;
    const lim = c.resources?.limits ?? EMPTY;
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) anySet = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  };
  for (const c of spec.initContainers ?? []) visit(c);
  for (const c of spec.containers ?? []) visit(c);
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
