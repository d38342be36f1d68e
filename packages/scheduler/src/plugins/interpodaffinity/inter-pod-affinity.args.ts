/**
 * InterPodAffinity's arguments (kube-scheduler's InterPodAffinityArgs, config v1), validated
 * with zod; defaults as Kubernetes 1.32.
 */
import { z } from 'zod';

/** The schema of InterPodAffinity's `args`. */
export const InterPodAffinityArgsSchema = z
  .object({
    /** The weight of an existing pod's required affinity term the incoming pod matches, when scoring; 0..100, default 1. */
    hardPodAffinityWeight: z.number().int().min(0).max(100).default(1),
    /** Ignore existing pods' preferred terms when the incoming pod has no inter-pod affinity of its own; default false. */
    ignorePreferredTermsOfExistingPods: z.boolean().default(false),
  })
  .loose();

/** InterPodAffinity's arguments, defaults applied. */
export type InterPodAffinityArgs = z.infer<typeof InterPodAffinityArgsSchema>;

/** Validates `args` (undefined = every default); throws an Error naming the bad field. */
export function parseInterPodAffinityArgs(args: unknown): InterPodAffinityArgs {
  const r = InterPodAffinityArgsSchema.safeParse(args ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`InterPodAffinityArgs: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}
