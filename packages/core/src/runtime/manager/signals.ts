/**
 * Returns a signal that aborts on the first SIGINT or SIGTERM, so `manager.start(shutdownSignal())`
 * shuts down gracefully; a second signal exits the process at once (code 1), as
 * controller-runtime's `SetupSignalHandler` does. Call it once per process.
 */
export function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    received++;
    if (received === 1) controller.abort(new Error(`received ${sig}`));
    else process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
