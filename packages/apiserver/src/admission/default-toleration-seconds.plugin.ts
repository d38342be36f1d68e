/**
 * DefaultTolerationSeconds admission: every Pod tolerates the `node.kubernetes.io/not-ready` and
 * `node.kubernetes.io/unreachable` NoExecute taints for 300 seconds, unless it already tolerates
 * them (a toleration with that key or an empty key, and effect NoExecute or an empty effect), so
 * a pod is evicted five minutes after its node stops answering, not at once.
 *
 * Runs on creates and updates of pods (not their subresources).
 */
import type { KubeObject } from '@converge/core';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';

/** The taint a node carries while its kubelet reports it not ready. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
/** The taint a node carries while the node controller cannot reach it. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** How long pods tolerate those taints by default, in seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  value?: string;
  tolerationSeconds?: number;
}

function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some(
    (t) => t !== null && typeof t === 'object' && (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'),
  );
}

/** Options of the DefaultTolerationSeconds plugin. */
export interface DefaultTolerationSecondsOptions {
  /** Seconds pods tolerate `node.kubernetes.io/not-ready` (default 300). */
  notReadySeconds?: number;
  /** Seconds pods tolerate `node.kubernetes.io/unreachable` (default 300). */
  unreachableSeconds?: number;
}

/** The DefaultTolerationSeconds admission plugin (mutating). */
export class DefaultTolerationSecondsPlugin implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(private readonly options: DefaultTolerationSecondsOptions = {}) {}

  admit(req: AdmissionRequest): void {
    const def = req.definition;
    if (
      (req.operation !== 'CREATE' && req.operation !== 'UPDATE') ||
      req.subresource ||
      def.group !== '' ||
      def.resource !== 'pods' ||
      !req.object
    )
      return;
    const spec = (req.object as KubeObject)['spec'] as { tolerations?: Toleration[] } | undefined;
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return;
    if (spec.tolerations !== undefined && spec.tolerations !== null && !Array.isArray(spec.tolerations)) return; // validation answers it
    const tolerations = spec.tolerations ?? [];
    const added: Toleration[] = [];
    if (!tolerates(tolerations, NOT_READY_TAINT)) {
      added.push({
        key: NOT_READY_TAINT,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: this.options.notReadySeconds ?? DEFAULT_TOLERATION_SECONDS,
      });
    }
    if (!tolerates(tolerations, UNREACHABLE_TAINT)) {
      added.push({
        key: UNREACHABLE_TAINT,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: this.options.unreachableSeconds ?? DEFAULT_TOLERATION_SECONDS,
      });
    }
    if (added.length > 0) spec.tolerations = [...tolerations, ...added];
  }
}
