/**
 * The inversify token of the cluster CA certificate (PEM) the controller-manager was given
 * (`rootCA` in its options; `--root-ca-file` of `converge controller-manager`): what the
 * RootCACertPublisher publishes as `kube-root-ca.crt`.
 */
export const RootCAToken = Symbol.for('converge.builtin.RootCA');
