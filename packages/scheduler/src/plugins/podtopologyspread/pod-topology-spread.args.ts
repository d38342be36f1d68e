/**
 * PodTopologySpread's arguments (kube-scheduler's PodTopologySpreadArgs, config v1),
 * validated with zod and the rules of ValidatePodTopologySpreadArgs; defaults as Kubernetes
 * 1.32 (`defaultingType: System`).
 */
import type { TopologySpreadConstraint } from '@converge/core';
import { z } from 'zod';
import { LABEL_HOSTNAME, LABEL_ZONE } from './spread-constraint.js';

const DefaultConstraintSchema = z
  .object({
    maxSkew: z.number().int().positive(),
    topologyKey: z.string().min(1),
    whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: z.undefined({ message: 'constraint must not define a selector, as they deduced for each pod' }).optional(),
    minDomains: z.number().int().positive().optional(),
    nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
    nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
    matchLabelKeys: z.array(z.string()).optional(),
  })
  .loose();

/** The schema of PodTopologySpread's `args`. */
export const PodTopologySpreadArgsSchema = z
  .object({
    /** Constraints for pods without their own (with `defaultingType: List`); their selectors come from the pod's Services and controller. */
    defaultConstraints: z.array(DefaultConstraintSchema).default([]),
    /** `System` (default): Kubernetes' built-in defaults (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway); `List`: `defaultConstraints`. */
    defaultingType: z.enum(['System', 'List']).default('System'),
  })
  .loose()
  .superRefine((args, ctx) => {
    if (args.defaultingType === 'System' && args.defaultConstraints.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultConstraints'],
        message: 'when .defaultingType is "System", .defaultConstraints must be empty',
      });
    }
    const seen = new Set<string>();
    args.defaultConstraints.forEach((c, i) => {
      const key = `${c.topologyKey}/${c.whenUnsatisfiable}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['defaultConstraints', i],
          message: `Duplicate value: {${c.topologyKey}, ${c.whenUnsatisfiable}}`,
        });
      seen.add(key);
    });
  });

/** PodTopologySpread's arguments, defaults applied. */
export type PodTopologySpreadArgs = z.infer<typeof PodTopologySpreadArgsSchema>;

/** Kubernetes' system default constraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** Validates `args` (undefined = every default); throws an Error naming the bad field. */
export function parsePodTopologySpreadArgs(args: unknown): PodTopologySpreadArgs {
  const r = PodTopologySpreadArgsSchema.safeParse(args ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`PodTopologySpreadArgs: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}
