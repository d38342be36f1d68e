/** Waits for SIGINT or SIGTERM, then stops `what` (once) and resolves; logs `stopped` at the end. */
export async function runUntilSignal(what: { stop(): Promise<void> }, log: (line: string) => void): Promise<void> {
  await new Promise<void>((done) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log(`received ${signal}, shutting down`);
      what.stop().then(done, (err: unknown) => {
        log(`shutdown failed: ${(err as Error).message}`);
        done();
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  log('stopped');
}
