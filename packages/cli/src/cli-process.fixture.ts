/**
 * A `converge` subcommand run as a real child process for integration tests: started from
 * the built `dist/main.js`, ready once its stdout matches a pattern, stopped by its handle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI entry point. */
export const CLI_MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');

/** A running `converge` child process. */
export interface CliProcess {
  /** The child. */
  readonly child: ChildProcess;
  /** The first capture group of `ready` in its stdout (e.g. the health URL). */
  readonly ready: string;
  /** Settles with the exit code. */
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `converge <args>` and waits (up to 60 s) for its stdout to match `ready`; rejects with its stderr if it exits first. */
export async function startCli(args: readonly string[], ready: RegExp): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const match = await new Promise<string>((resolve, reject) => {
    let out = '';
    const deadline = setTimeout(() => reject(new Error(`converge ${args[0]} did not start:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(deadline);
        resolve(m[1] ?? m[0]);
      }
    });
    void exited.then((code) => reject(new Error(`converge ${args[0]} exited with ${code}:\n${stderr}`)));
  });
  return {
    child,
    ready: match,
    exited,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
