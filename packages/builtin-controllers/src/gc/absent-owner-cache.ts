/**
 * The owners the garbage collector has verified absent, so ten thousand dependents of one
 * deleted owner cost one lookup, not ten thousand. A uid is never reused, so an owner once
 * absent stays absent; the namespace is part of the key because a namespaced owner is
 * looked up in each dependent's namespace. Bounded: the oldest entries are forgotten first.
 */
export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  /** Makes a cache holding at most `capacity` owners. */
  constructor(private readonly capacity = 1000) {}

  /** Whether the owner `uid` was verified absent in `namespace` ('' = cluster scope). */
  has(uid: string, namespace: string): boolean {
    return this.entries.has(`${namespace}/${uid}`);
  }

  /** Records an owner verified absent. */
  add(uid: string, namespace: string): void {
    const key = `${namespace}/${uid}`;
    if (this.entries.has(key)) return;
    this.entries.add(key);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.values().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
