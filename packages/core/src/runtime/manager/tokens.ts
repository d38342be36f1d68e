/**
 * Service identifiers the manager binds in its inversify container, for constructor
 * injection in controllers and plugins: `constructor(@inject(ObjectStoreToken) store: ObjectStore)`.
 */

/**
 * The ObjectStore controllers use: the manager's cached client (a `CachedObjectStore`:
 * reads from the shared informers' caches, writes to the store), unless the manager was made
 * with `cachedReads: false` (then the store itself).
 */
export const ObjectStoreToken = Symbol.for('converge.ObjectStore');
/**
 * The manager's store itself, with no cache in front: every read is a request and sees the
 * newest state (controller-runtime's `GetAPIReader()`). Writes through it are the same as
 * through `ObjectStoreToken`.
 */
export const DirectStoreToken = Symbol.for('converge.DirectStore');
/** The manager's Clock. */
export const ClockToken = Symbol.for('converge.Clock');
/** The manager's root Logger. */
export const LoggerToken = Symbol.for('converge.Logger');
/** The manager's InformerProvider (its shared informers). */
export const InformersToken = Symbol.for('converge.Informers');
/** The manager's RuntimeMetrics (and through it the prom-client Registry). */
export const MetricsToken = Symbol.for('converge.Metrics');
/** The Manager itself. */
export const ManagerToken = Symbol.for('converge.Manager');
