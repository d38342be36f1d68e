/**
 * Per-pod, per-cycle scratch space shared by the plugins of one scheduling attempt
 * (kube-scheduler's CycleState): PreFilter computes once what Filter reads for every node.
 */

/** A value kept in a CycleState; `clone` is called when the state is copied (preemption dry runs). */
export interface StateData {
  /** A copy safe to mutate independently of this one. */
  clone(): StateData;
}

/** The scratch space of one scheduling attempt. */
export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: the framework skips their Filter too. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: the framework skips their Score too. */
  readonly skipScorePlugins = new Set<string>();

  /** The value stored under `key`, or undefined. */
  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Stores `value` under `key`. */
  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  /** Removes the value under `key`. */
  delete(key: string): void {
    this.data.delete(key);
  }

  /** A deep copy: every value cloned, the skip sets copied. */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, v.clone());
    for (const p of this.skipFilterPlugins) copy.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) copy.skipScorePlugins.add(p);
    return copy;
  }
}
