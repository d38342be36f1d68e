/** The finalizer an owner deleted with `propagationPolicy: Orphan` carries until its dependents no longer name it. */
export const ORPHAN_FINALIZER = 'orphan';
/** The finalizer an owner deleted with `propagationPolicy: Foreground` carries until its blocking dependents are gone. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
