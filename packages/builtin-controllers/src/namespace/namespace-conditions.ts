import type { StatusCondition } from '@converge/core';

/** The condition types Kubernetes sets on a Terminating namespace. */
export const NamespaceConditionTypes = {
  discoveryFailure: 'NamespaceDeletionDiscoveryFailure',
  groupVersionParsingFailure: 'NamespaceDeletionGroupVersionParsingFailure',
  contentFailure: 'NamespaceDeletionContentFailure',
  contentRemaining: 'NamespaceContentRemaining',
  finalizersRemaining: 'NamespaceFinalizersRemaining',
} as const;

/** What one pass of deleting a namespace's content found. */
export interface ContentReport {
  /** Discovery problems (`group/version: error`). */
  discoveryFailures: readonly string[];
  /** Kinds whose content could not be deleted or listed (`resource.group: error`). */
  deletionFailures: readonly string[];
  /** Objects left per `resource.group` (core group: `pods.`). */
  remaining: ReadonlyMap<string, number>;
  /** Objects left per finalizer they carry. */
  finalizers: ReadonlyMap<string, number>;
}

function describeCounts(counts: ReadonlyMap<string, number>, format: (name: string, n: number) => string): string {
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, n]) => format(name, n))
    .join(', ');
}

/**
 * The five conditions of a Terminating namespace, with the reasons and messages Kubernetes
 * 1.32's namespace controller gives them, from one pass over its content.
 */
export function namespaceConditions(report: ContentReport): StatusCondition[] {
  const t = NamespaceConditionTypes;
  const out: StatusCondition[] = [];
  out.push(
    report.discoveryFailures.length > 0
      ? {
          type: t.discoveryFailure,
          status: 'True',
          reason: 'DiscoveryFailed',
          message: `Discovery failed for some groups, ${report.discoveryFailures.length} failing: ${report.discoveryFailures.join(', ')}`,
        }
      : { type: t.discoveryFailure, status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  );
  out.push({
    type: t.groupVersionParsingFailure,
    status: 'False',
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  });
  out.push(
    report.deletionFailures.length > 0
      ? {
          type: t.contentFailure,
          status: 'True',
          reason: 'ContentDeletionFailed',
          message: `Failed to delete all resource types, ${report.deletionFailures.length} remaining: ${report.deletionFailures.join(', ')}`,
        }
      : {
          type: t.contentFailure,
          status: 'False',
          reason: 'ContentDeleted',
          message: 'All content successfully deleted, may be waiting on finalization',
        },
  );
  out.push(
    report.remaining.size > 0
      ? {
          type: t.contentRemaining,
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${describeCounts(report.remaining, (r, n) => `${r} has ${n} resource instances`)}`,
        }
      : { type: t.contentRemaining, status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
  );
  out.push(
    report.finalizers.size > 0
      ? {
          type: t.finalizersRemaining,
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${describeCounts(report.finalizers, (f, n) => `${f} in ${n} resource instances`)}`,
        }
      : {
          type: t.finalizersRemaining,
          status: 'False',
          reason: 'ContentHasNoFinalizers',
          message: 'All content-preserving finalizers finished',
        },
  );
  return out;
}
