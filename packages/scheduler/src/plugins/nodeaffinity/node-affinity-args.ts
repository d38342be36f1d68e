/**
 * The arguments of NodeAffinity (kube-scheduler's NodeAffinityArgs): `addedAffinity`, node
 * affinity every pod of the profile gets on top of its own.
 */
import type { Affinity } from '@converge/core';
import { z } from 'zod';

const RequirementSchema = z.object({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});

const TermSchema = z.object({
  matchExpressions: z.array(RequirementSchema).optional(),
  matchFields: z.array(RequirementSchema).optional(),
});

/** The zod schema of NodeAffinity's arguments. */
export const NodeAffinityArgsSchema = z
  .object({
    addedAffinity: z
      .object({
        requiredDuringSchedulingIgnoredDuringExecution: z.object({ nodeSelectorTerms: z.array(TermSchema).min(1) }).optional(),
        preferredDuringSchedulingIgnoredDuringExecution: z
          .array(z.object({ weight: z.number().int().min(1).max(100), preference: TermSchema }))
          .optional(),
      })
      .optional(),
  })
  .strict();

/** NodeAffinity's arguments. */
export interface NodeAffinityArgs {
  /** Node affinity added to every pod of the profile (both required and preferred parts). */
  readonly addedAffinity?: NonNullable<Affinity['nodeAffinity']>;
}

/** Validates NodeAffinity's arguments (undefined gives the defaults: nothing added). */
export function parseNodeAffinityArgs(args: unknown): NodeAffinityArgs {
  const result = NodeAffinityArgsSchema.safeParse(args ?? {});
  if (!result.success) throw new Error(`invalid NodeAffinityArgs: ${z.prettifyError(result.error)}`);
  return result.data as NodeAffinityArgs;
}
