/**
 * The arguments of NodeResourcesFit and NodeResourcesBalancedAllocation, with Kubernetes
 * 1.32's defaults (kube-scheduler's NodeResourcesFitArgs and NodeResourcesBalancedAllocationArgs).
 */
import { z } from 'zod';

/** How NodeResourcesFit scores nodes. */
export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** A resource scored, with its weight. */
export interface ResourceSpec {
  /** The resource name (`cpu`, `memory`, `ephemeral-storage`, an extended resource). */
  readonly name: string;
  /** Its weight in the score (1-100). */
  readonly weight: number;
}

/** A point of the RequestedToCapacityRatio function: at `utilization` percent, `score` (0-10). */
export interface UtilizationShapePoint {
  /** Utilisation, 0-100. */
  readonly utilization: number;
  /** Score at that utilisation, 0-10. */
  readonly score: number;
}

/** NodeResourcesFit's scoring strategy. */
export interface ScoringStrategy {
  /** LeastAllocated (the default), MostAllocated or RequestedToCapacityRatio. */
  readonly type: ScoringStrategyType;
  /** The resources scored, cpu and memory with weight 1 by default. */
  readonly resources: readonly ResourceSpec[];
  /** The shape of RequestedToCapacityRatio. */
  readonly requestedToCapacityRatio?: { readonly shape: readonly UtilizationShapePoint[] };
}

/** NodeResourcesFit's arguments, defaults applied. */
export interface NodeResourcesFitArgs {
  /** Extended resources the Filter does not check. */
  readonly ignoredResources: readonly string[];
  /** Groups (the prefix before `/`) of extended resources the Filter does not check. */
  readonly ignoredResourceGroups: readonly string[];
  /** How nodes are scored. */
  readonly scoringStrategy: ScoringStrategy;
}

/** NodeResourcesBalancedAllocation's arguments, defaults applied. */
export interface NodeResourcesBalancedAllocationArgs {
  /** The resources whose fractions are balanced (cpu and memory by default). */
  readonly resources: readonly ResourceSpec[];
}

/** The resources scored when none are configured: cpu and memory, weight 1. */
export const DEFAULT_RESOURCE_SPECS: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);

const ResourceSpecSchema = z.object({ name: z.string().min(1), weight: z.number().int().min(0).max(100).optional() }).strict();

const ResourcesSchema = z
  .array(ResourceSpecSchema)
  .optional()
  .transform((list): ResourceSpec[] =>
    list && list.length > 0 ? list.map((r) => ({ name: r.name, weight: r.weight || 1 })) : DEFAULT_RESOURCE_SPECS.map((r) => ({ ...r })),
  )
  .refine((list) => new Set(list.map((r) => r.name)).size === list.length, { message: 'resources must not repeat a name' });

const ShapeSchema = z
  .array(z.object({ utilization: z.number().int().min(0).max(100), score: z.number().int().min(0).max(10) }).strict())
  .min(1, 'at least one point is required')
  .refine((points) => points.every((p, i) => i === 0 || p.utilization > points[i - 1]!.utilization), {
    message: 'utilization values must be sorted in increasing order',
  });

/** The zod schema of NodeResourcesFit's arguments (defaults applied on parse). */
export const NodeResourcesFitArgsSchema = z
  .object({
    ignoredResources: z.array(z.string()).default([]),
    ignoredResourceGroups: z
      .array(z.string().refine((g) => !g.includes('/'), { message: 'resource group name can\'t contain "/"' }))
      .default([]),
    scoringStrategy: z
      .object({
        type: z.enum(['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio']),
        resources: ResourcesSchema,
        requestedToCapacityRatio: z.object({ shape: ShapeSchema }).strict().optional(),
      })
      .strict()
      .refine((s) => s.type !== 'RequestedToCapacityRatio' || s.requestedToCapacityRatio !== undefined, {
        message: 'requestedToCapacityRatio.shape is required with type RequestedToCapacityRatio',
      })
      .optional(),
  })
  .strict();

/** The zod schema of NodeResourcesBalancedAllocation's arguments (defaults applied on parse). */
export const NodeResourcesBalancedAllocationArgsSchema = z
  .object({
    resources: ResourcesSchema.refine((list) => list.every((r) => r.weight === 1), { message: 'resource weights must be 1' }),
  })
  .strict();

/**
 * Validates NodeResourcesFit's arguments and applies the defaults (LeastAllocated over cpu
 * and memory with weight 1; a weight of 0 means 1).
 * @throws Error naming what is invalid
 */
export function parseNodeResourcesFitArgs(args: unknown): NodeResourcesFitArgs {
  const result = NodeResourcesFitArgsSchema.safeParse(args ?? {});
  if (!result.success) throw new Error(`invalid NodeResourcesFitArgs: ${z.prettifyError(result.error)}`);
  const d = result.data;
  const strategy = d.scoringStrategy;
  return {
    ignoredResources: d.ignoredResources,
    ignoredResourceGroups: d.ignoredResourceGroups,
    scoringStrategy: strategy
      ? {
          type: strategy.type,
          resources: strategy.resources,
          ...(strategy.requestedToCapacityRatio ? { requestedToCapacityRatio: strategy.requestedToCapacityRatio } : {}),
        }
      : { type: 'LeastAllocated', resources: DEFAULT_RESOURCE_SPECS },
  };
}

/**
 * Validates NodeResourcesBalancedAllocation's arguments and applies the defaults (cpu and memory).
 * @throws Error naming what is invalid
 */
export function parseBalancedAllocationArgs(args: unknown): NodeResourcesBalancedAllocationArgs {
  const result = NodeResourcesBalancedAllocationArgsSchema.safeParse(args ?? {});
  if (!result.success) throw new Error(`invalid NodeResourcesBalancedAllocationArgs: ${z.prettifyError(result.error)}`);
  return { resources: result.data.resources };
}
