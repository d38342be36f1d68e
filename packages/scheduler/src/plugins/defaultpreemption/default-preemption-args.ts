/**
 * DefaultPreemption's arguments (kube-scheduler 1.32's `DefaultPreemptionArgs`): how many
 * nodes the dry runs look at before they stop searching for more candidates.
 */
import { z } from 'zod';

/** DefaultPreemption's arguments, defaults applied. */
export interface DefaultPreemptionArgs {
  /** The least share of the nodes (0..100) to find candidates on; default 10. */
  readonly minCandidateNodesPercentage: number;
  /** The least number of nodes to find candidates on; default 100. */
  readonly minCandidateNodesAbsolute: number;
}

/** The schema of DefaultPreemption's `args` in a profile's `pluginConfig`, with Kubernetes' defaults. */
export const DefaultPreemptionArgsSchema = z
  .object({
    minCandidateNodesPercentage: z.number().int().default(10),
    minCandidateNodesAbsolute: z.number().int().default(100),
  })
  .superRefine((args, ctx) => {
    if (args.minCandidateNodesPercentage < 0 || args.minCandidateNodesPercentage > 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCandidateNodesPercentage'],
        message: `Invalid value: ${args.minCandidateNodesPercentage}: not in valid range [0, 100]`,
      });
    }
    if (args.minCandidateNodesAbsolute < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCandidateNodesAbsolute'],
        message: `Invalid value: ${args.minCandidateNodesAbsolute}: not in valid range [0, inf)`,
      });
    }
    if (args.minCandidateNodesPercentage === 0 && args.minCandidateNodesAbsolute === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCandidateNodesPercentage'],
        message: 'Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute',
      });
      ctx.addIssue({
        code: 'custom',
        path: ['minCandidateNodesAbsolute'],
        message: 'Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage',
      });
    }
  });

/**
 * Validates DefaultPreemption's `args` (undefined or an object as written in the configuration
 * file) and applies the defaults; throws an Error naming every invalid field.
 */
export function parseDefaultPreemptionArgs(args: unknown): DefaultPreemptionArgs {
  const result = DefaultPreemptionArgsSchema.safeParse(args ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  throw new Error(`invalid DefaultPreemption args: ${problems.join('; ')}`);
}

/**
 * How many candidates the dry runs must find among `numNodes` potential nodes:
 * `numNodes × percentage / 100` (rounded down), at least the absolute minimum, at most `numNodes`.
 */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  let n = Math.floor((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  if (n > numNodes) n = numNodes;
  return n;
}
