/**
 * Service identifiers the manager binds in its inversify container, for constructor
 * injection in controllers and plugins: `constructor(@inject(ObjectStoreToken) store: ObjectStore)`.
 */

/** The manager's ObjectStore. */
export const ObjectStoreToken = Symbol.for('converge.ObjectStore');
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
