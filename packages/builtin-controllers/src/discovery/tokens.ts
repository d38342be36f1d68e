/** The inversify token of the `KindDiscovery` the controller-manager binds for controllers that act on every kind. */
export const KindDiscoveryToken = Symbol.for('converge.builtin.KindDiscovery');
