/**
 * Priority admission: a Pod's `spec.priority` and `spec.preemptionPolicy` come from its
 * PriorityClass (`scheduling.k8s.io/v1`), never from the pod itself.
 *
 * - With `priorityClassName` set, the class must exist (else 403 `no PriorityClass with name X
 *   was found`); the pod gets its value and preemption policy.
 * - Without one, the pod gets the global default class (`globalDefault: true`; the lowest value
 *   if several claim it), name included, or else priority 0 and `PreemptLowerPriority`.
 * - A pod that states a different priority or preemption policy itself is refused (403), as
 *   Kubernetes does.
 * - On update, a pod written without them keeps the stored ones (they never change).
 *
 * Pods created by server-side apply carry no object at admission and are not defaulted here.
 */
import { forbidden, isNotFound, type KubeObject } from '@converge/core';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from './admission.js';

/** The priority of pods when no class names one and no class is the global default. */
export const DEFAULT_POD_PRIORITY = 0;
/** The preemption policy pods get when their class names none. */
export const DEFAULT_PREEMPTION_POLICY = 'PreemptLowerPriority';

const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

interface PodSpecPriority {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

interface PriorityClassFields {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

function isPod(req: AdmissionRequest): boolean {
  return req.definition.group === '' && req.definition.resource === 'pods' && !req.subresource;
}

function specOf(obj: KubeObject | undefined): PodSpecPriority | undefined {
  const spec = obj?.['spec'];
  return spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as PodSpecPriority) : undefined;
}

/** The Priority admission plugin (mutating). */
export class PriorityPlugin implements AdmissionPlugin {
  readonly name = 'Priority';

  async admit(req: AdmissionRequest, ctx: AdmissionContext): Promise<void> {
    if (!isPod(req)) return;
    const spec = specOf(req.object);
    if (!spec) return;
    if (req.operation === 'UPDATE') return this.keepStored(req, spec, ctx);
    if (req.operation !== 'CREATE') return;

    let className = spec.priorityClassName || undefined;
    let priority = DEFAULT_POD_PRIORITY;
    let policy = DEFAULT_PREEMPTION_POLICY;
    const def = ctx.catalog.get(PRIORITY_CLASSES);
    if (className !== undefined) {
      if (def) {
        let pc: KubeObject;
        try {
          pc = await ctx.store.get(def, { name: className });
        } catch (err) {
          if (isNotFound(err)) throw forbidden({ resource: 'pods' }, req.name ?? '', `no PriorityClass with name ${className} was found`);
          throw err;
        }
        const fields = pc as unknown as PriorityClassFields;
        priority = fields.value ?? DEFAULT_POD_PRIORITY;
        policy = fields.preemptionPolicy ?? DEFAULT_PREEMPTION_POLICY;
      }
    } else if (def) {
      const defaults = (await ctx.store.list(def)).items.filter((pc) => (pc as unknown as PriorityClassFields).globalDefault === true);
      const chosen = defaults.sort(
        (a, b) => ((a as unknown as PriorityClassFields).value ?? 0) - ((b as unknown as PriorityClassFields).value ?? 0),
      )[0];
      if (chosen) {
        className = chosen.metadata.name;
        priority = (chosen as unknown as PriorityClassFields).value ?? DEFAULT_POD_PRIORITY;
        policy = (chosen as unknown as PriorityClassFields).preemptionPolicy ?? DEFAULT_PREEMPTION_POLICY;
      }
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw forbidden(
        { resource: 'pods' },
        req.name ?? '',
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
      throw forbidden(
        { resource: 'pods' },
        req.name ?? '',
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
      );
    }
    if (className !== undefined) spec.priorityClassName = className;
    spec.priority = priority;
    spec.preemptionPolicy = policy;
  }

  /** An update that leaves out the priority or the policy keeps the stored ones. */
  private async keepStored(req: AdmissionRequest, spec: PodSpecPriority, ctx: AdmissionContext): Promise<void> {
    if (spec.priority !== undefined && spec.preemptionPolicy !== undefined) return;
    const def = ctx.catalog.get(PODS);
    if (!def || !req.namespace || !req.name) return;
    let old: KubeObject;
    try {
      old = await ctx.store.get(def, { namespace: req.namespace, name: req.name });
    } catch (err) {
      if (isNotFound(err)) return; // the store answers the update's NotFound
      throw err;
    }
    const stored = specOf(old);
    if (spec.priority === undefined && stored?.priority !== undefined) spec.priority = stored.priority;
    if (spec.preemptionPolicy === undefined && stored?.preemptionPolicy !== undefined) spec.preemptionPolicy = stored.preemptionPolicy;
  }
}
