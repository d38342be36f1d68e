/**
 * ServiceAccount admission, on Pod creates:
 *
 * - a pod that names no service account runs as `default`;
 * - unless the pod (or else its ServiceAccount) sets `automountServiceAccountToken: false`, every
 *   container and init container gets the API credentials at
 *   `/var/run/secrets/kubernetes.io/serviceaccount` (read-only), from a projected volume named
 *   `kube-api-access-<5 random characters>`: a bound service-account token (`token`, 3607 s,
 *   renewed by the kubelet), the cluster CA (`ca.crt` from the `kube-root-ca.crt` ConfigMap) and
 *   the pod's namespace (`namespace`). A container that already mounts something at that path
 *   keeps its own; an existing `kube-api-access-*` volume is reused.
 *
 * Mirror pods (annotated `kubernetes.io/config.mirror`) are left alone. Not modelled yet:
 * refusing pods whose ServiceAccount does not exist (the token volume is added anyway).
 */
import { randomInt } from 'node:crypto';
import { isNotFound, type KubeObject } from '@converge/core';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from './admission.js';

/** The service account pods use when they name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Where containers find the API credentials. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name prefix of the projected credentials volume. */
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
/** The lifetime the projected token asks for (an hour and 7 seconds, as Kubernetes asks). */
export const PROJECTED_TOKEN_EXPIRATION_SECONDS = 3607;
/** The ConfigMap, in every namespace, holding the cluster CA as `ca.crt`. */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** The characters of generated name suffixes (no vowels, no look-alikes), as Kubernetes uses. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };

/** Five random characters for a `kube-api-access-` volume. */
export function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return out;
}

/** The projected credentials volume of ServiceAccount admission. */
export function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: PROJECTED_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Options of the ServiceAccount plugin. */
export interface ServiceAccountPluginOptions {
  /** Mount the API credentials into pods (default true). */
  mountToken?: boolean;
  /** Makes the 5-character suffix of `kube-api-access-` volumes (default: random). */
  suffix?: () => string;
}

interface Container {
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[];
}

interface PodSpec {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name?: string }[];
  containers?: Container[];
  initContainers?: Container[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The ServiceAccount admission plugin (mutating). */
export class ServiceAccountPlugin implements AdmissionPlugin {
  readonly name = 'ServiceAccount';
  private readonly suffix: () => string;

  constructor(private readonly options: ServiceAccountPluginOptions = {}) {
    this.suffix = options.suffix ?? randomSuffix;
  }

  async admit(req: AdmissionRequest, ctx?: AdmissionContext): Promise<void> {
    const def = req.definition;
    if (req.operation !== 'CREATE' || req.subresource || def.group !== '' || def.resource !== 'pods' || !req.object) return;
    const pod = req.object as KubeObject;
    if (!isRecord(pod['spec'])) return;
    const spec = pod['spec'] as PodSpec;
    const annotations = isRecord(pod.metadata?.annotations) ? pod.metadata.annotations : {};
    if (MIRROR_POD_ANNOTATION in annotations) return;
    const account = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccountName = account;
    if (!spec.serviceAccount) spec.serviceAccount = account;
    if (this.options.mountToken === false || spec.automountServiceAccountToken === false) return;
    if (
      spec.automountServiceAccountToken === undefined &&
      ctx &&
      (await this.accountOptsOut(ctx, req.namespace ?? pod.metadata?.namespace, account))
    )
      return;
    this.mountToken(spec);
  }

  /** Whether the pod's ServiceAccount sets `automountServiceAccountToken: false`. */
  private async accountOptsOut(ctx: AdmissionContext, namespace: string | undefined, name: string): Promise<boolean> {
    const def = ctx.catalog.get(SERVICE_ACCOUNTS);
    if (!def || !namespace) return false;
    try {
      const sa = await ctx.store.get(def, { namespace, name });
      return (sa as { automountServiceAccountToken?: boolean }).automountServiceAccountToken === false;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private mountToken(spec: PodSpec): void {
    if (spec.volumes !== undefined && !Array.isArray(spec.volumes)) return; // validation answers it
    const volumes = spec.volumes ?? [];
    const existing = volumes.find((v) => isRecord(v) && typeof v.name === 'string' && v.name.startsWith(API_ACCESS_VOLUME_PREFIX));
    const names = new Set(volumes.map((v) => (isRecord(v) ? v.name : undefined)));
    let volumeName = existing?.name;
    if (!volumeName) {
      do volumeName = `${API_ACCESS_VOLUME_PREFIX}${this.suffix()}`;
      while (names.has(volumeName));
    }
    let needed = false;
    for (const list of [spec.initContainers, spec.containers]) {
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isRecord(c)) continue;
        if (c.volumeMounts !== undefined && !Array.isArray(c.volumeMounts)) continue;
        const mounts = c.volumeMounts ?? [];
        if (mounts.some((m) => isRecord(m) && m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
        c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
        needed = true;
      }
    }
    if (needed && !existing) spec.volumes = [...volumes, apiAccessVolume(volumeName)];
  }
}
