/**
 * The "0/N nodes are available: ..." text of kube-scheduler's `FitError.Error()`, as
 * preemption uses it for its own diagnosis (and as FailedScheduling messages are built).
 */
import type { Status } from '../../framework/status.js';

/** The inputs of `fitErrorMessage`. */
export interface FitErrorMessageOptions {
  /** How many nodes the cluster has (the `N` of `0/N`). */
  readonly numAllNodes: number;
  /** The status of each node that has one. */
  readonly statuses: ReadonlyMap<string, Status>;
  /** The reasons counted once for every node without a status (numAllNodes − statuses.size of them). */
  readonly absentReasons?: readonly string[];
}

/**
 * Formats `0/<N> nodes are available: <count> <reason>, <count> <reason>.`: every reason of
 * every node's status counted, the absent nodes counted under `absentReasons`, the
 * `"<count> <reason>"` strings sorted as strings (so `10 x` comes before `2 y`, as in
 * Kubernetes) and joined with `, `, and a final period. Without any reason the text is just
 * `0/<N> nodes are available:`.
 */
export function fitErrorMessage(options: FitErrorMessageOptions): string {
  const counts = new Map<string, number>();
  for (const status of options.statuses.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const absent = options.numAllNodes - options.statuses.size;
  if (absent > 0) {
    for (const reason of options.absentReasons ?? []) counts.set(reason, (counts.get(reason) ?? 0) + absent);
  }
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const head = `0/${options.numAllNodes} nodes are available:`;
  return parts.length === 0 ? head : `${head} ${parts.join(', ')}.`;
}
