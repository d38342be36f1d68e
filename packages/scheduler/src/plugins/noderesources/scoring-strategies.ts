/**
 * The scorers of NodeResourcesFit's strategies and of NodeResourcesBalancedAllocation, with
 * Kubernetes' integer arithmetic (Go int64 division truncates).
 */
import { MAX_NODE_SCORE } from '../../framework/plugin.js';
import type { ResourceSpec, UtilizationShapePoint } from './node-resources-args.js';
import type { ResourceScorer } from './resource-allocation.js';

/** The highest score of a RequestedToCapacityRatio shape point. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** `(capacity - requested) * 100 / capacity`, 0 when over capacity or no capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return idiv((capacity - requested) * MAX_NODE_SCORE, capacity);
}

/** `requested * 100 / capacity`, requested capped at capacity; 0 without capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return idiv(Math.min(requested, capacity) * MAX_NODE_SCORE, capacity);
}

function weightedAverage(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number): ResourceScorer {
  const weights = resources.map((r) => r.weight);
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i]!;
      if (capacity === 0) continue;
      const weight = weights[i]!;
      nodeScore += perResource(requested[i]!, capacity) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : idiv(nodeScore, weightSum);
  };
}

/** LeastAllocated: the weighted average of each resource's free fraction, in 0..100. */
export function leastAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedAverage(resources, leastRequestedScore);
}

/** MostAllocated: the weighted average of each resource's used fraction, in 0..100. */
export function mostAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedAverage(resources, mostRequestedScore);
}

/** A piecewise linear function through `points` (score already scaled), flat before the first and after the last. */
export function brokenLinearFunction(points: readonly { readonly utilization: number; readonly score: number }[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < points.length; i++) {
      const cur = points[i]!;
      if (p <= cur.utilization) {
        if (i === 0) return points[0]!.score;
        const prev = points[i - 1]!;
        return prev.score + idiv((cur.score - prev.score) * (p - prev.utilization), cur.utilization - prev.utilization);
      }
    }
    return points[points.length - 1]!.score;
  };
}

/**
 * RequestedToCapacityRatio: each resource's utilisation percentage (integer) through the
 * shape (scores scaled from 0..10 to 0..100), then the weighted average, rounded, of the
 * resources that score above 0.
 */
export function requestedToCapacityRatioScorer(
  resources: readonly ResourceSpec[],
  shape: readonly UtilizationShapePoint[],
): ResourceScorer {
  const fn = brokenLinearFunction(
    shape.map((p) => ({ utilization: p.utilization, score: p.score * idiv(MAX_NODE_SCORE, MAX_CUSTOM_PRIORITY_SCORE) })),
  );
  const perResource = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? fn(MAX_UTILIZATION) : fn(idiv(requested * MAX_UTILIZATION, capacity));
  const weights = resources.map((r) => r.weight);
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = weights[i]!;
      const score = perResource(requested[i]!, allocatable[i]!);
      if (score > 0) {
        nodeScore += score * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * BalancedAllocation: `(1 - std) * 100` truncated, where std is the standard deviation of
 * the requested fractions (each capped at 1) of the resources with allocatable; for two
 * resources `|f1 - f2| / 2`.
 */
export const balancedResourceScorer: ResourceScorer = (requested, allocatable) => {
  // Two passes over the fractions instead of a list: this runs once per node.
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    const capacity = allocatable[i]!;
    if (capacity === 0) continue;
    const fraction = Math.min(requested[i]! / capacity, 1);
    if (count === 0) first = fraction;
    else if (count === 1) second = fraction;
    total += fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i]!;
      if (capacity === 0) continue;
      const d = Math.min(requested[i]! / capacity, 1) - mean;
      sum += d * d;
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};
