/**
 * Rules shared by the workloads that own pods through a selector and a template
 * (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job).
 */
import type { StatusCause } from '../../api/meta.js';
import type { PodTemplateSpec } from '../schema/pod.schema.js';
import { invalidValue, notSupported, requiredValue } from './field-errors.js';
import { selectorIsEmpty, selectorMatches, validateLabelSelector, type SelectorLike } from './object-meta.validation.js';
import { nonNegative, validatePodTemplate } from './pod.validation.js';

/** Options of `validateWorkload`. */
export interface WorkloadRules {
  /** The kind, for the empty-selector message (`empty selector is invalid for deployment`). */
  kind: string;
  /** The restart policies the template may use; `Always` for long-running workloads. */
  restartPolicies?: readonly string[];
  /** Whether the selector may be unset (Jobs generate it). */
  selectorOptional?: boolean;
  /** Volume names the template's containers may mount besides its own volumes (StatefulSet claim templates). */
  extraVolumes?: readonly string[];
}

/** Formats a label map the way Go prints `map[string]string{"a":"b"}` in Kubernetes' messages. */
export function goMap(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels![k])}`).join(', ')}}`;
}

/** Validates `spec.replicas`, `spec.selector` and `spec.template` of a workload. */
export function validateWorkload(
  spec:
    | {
        replicas?: number | undefined;
        selector?: SelectorLike | undefined;
        template?: PodTemplateSpec | undefined;
        minReadySeconds?: number | undefined;
      }
    | undefined,
  rules: WorkloadRules,
): StatusCause[] {
  const out: StatusCause[] = [];
  if (!spec) return [requiredValue('spec')];
  nonNegative(out, 'spec.replicas', spec.replicas);
  nonNegative(out, 'spec.minReadySeconds', spec.minReadySeconds);
  if (!spec.selector) {
    if (!rules.selectorOptional) out.push(requiredValue('spec.selector'));
  } else {
    out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorIsEmpty(spec.selector))
      out.push(invalidValue('spec.selector', spec.selector, `empty selector is invalid for ${rules.kind.toLowerCase()}`));
  }
  if (!spec.template) {
    out.push(requiredValue('spec.template'));
    return out;
  }
  if (spec.selector && !selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, spec.template.metadata?.labels))
    out.push(
      invalidValue('spec.template.metadata.labels', goMap(spec.template.metadata?.labels), '`selector` does not match template `labels`'),
    );
  out.push(...validatePodTemplate(spec.template, 'spec.template', rules.extraVolumes ? { extraVolumes: rules.extraVolumes } : {}));
  const policies = rules.restartPolicies ?? ['Always'];
  const rp = spec.template.spec?.restartPolicy;
  if (rp !== undefined && !policies.includes(rp)) out.push(notSupported('spec.template.spec.restartPolicy', rp, policies));
  if (rules.restartPolicies === undefined && spec.template.spec?.activeDeadlineSeconds !== undefined)
    out.push(
      invalidValue(
        'spec.template.spec.activeDeadlineSeconds',
        spec.template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  return out;
}
