/**
 * End-to-end support: runs `converge up` as a real process (the built CLI,
 * `packages/cli/dist/main.js`, which the suite builds before running tests) and runs the real
 * `kubectl` from PATH against it, the way a user or a CI script does.
 *
 * One cluster is shared by all tests of a file: start it in `beforeAll`, stop it in `afterAll`
 * (`useFileCluster` in `file-cluster.ts` does both).
 * The process is stopped by its own handle (SIGTERM to its PID), never by name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const cliMain = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

/** What one `kubectl` run printed, and how it exited. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Options of one `kubectl` run. */
export interface KubectlOptions {
  /** Written to kubectl's standard input (for `-f -`). */
  input?: string;
  /** Extra environment variables (for example `KUBE_EDITOR`). */
  env?: Record<string, string>;
  /** Kills kubectl after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

/** A `kubectl` started in the background (`get -w`, `proxy`), read while it runs. */
export interface BackgroundKubectl {
  /** Everything printed on standard output so far. */
  stdout(): string;
  /** Everything printed on standard error so far. */
  stderr(): string;
  /** Resolves once `predicate(stdout)` holds; rejects after `timeoutMs` with what was printed. */
  waitFor(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves once `predicate(stderr)` holds (for `-v=6` request lines); rejects after `timeoutMs`. */
  waitForStderr(predicate: (stderr: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Stops it (SIGTERM to its PID) and resolves when it has exited. */
  stop(): Promise<void>;
}

/** A running `converge up` process and the kubeconfig it wrote. */
export interface ConvergeCluster {
  /** The API server URL (https://127.0.0.1:<port>). */
  url: string;
  /** The kubeconfig `converge up` wrote (CA + admin token). */
  kubeconfig: string;
  /** The data directory (a fresh temporary directory unless `StartOptions.dataDir` named one). */
  dataDir: string;
  /** The PID of the `converge up` process. */
  pid: number;
  /** Runs `kubectl <args>` with this cluster's kubeconfig and waits for it. */
  kubectl(args: string[], options?: KubectlOptions): KubectlResult;
  /** Starts `kubectl <args>` in the background with this cluster's kubeconfig. */
  kubectlBackground(args: string[]): BackgroundKubectl;
  /** Reads the admin bearer token from the kubeconfig. */
  adminToken(): string;
  /** Reads the cluster CA (PEM) from the kubeconfig. */
  caPem(): string;
  /** Everything the server printed on standard error so far. */
  serverStderr(): string;
  /** Stops the server with SIGTERM, waits for it to exit, removes a temporary data directory; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/** Options of `startConvergeCluster`. */
export interface StartOptions {
  /** Extra flags for `converge up` (for example `['--store', 'etcd']`). */
  args?: string[];
  /** How long to wait for the "Press Ctrl-C to stop." banner (default 60 s). */
  startTimeoutMs?: number;
  /**
   * The data directory; default a fresh temporary one, removed by `stop`. A directory given
   * here is kept (so a second cluster can start on it: a restart); its owner removes it.
   */
  dataDir?: string;
}

/**
 * Starts `node packages/cli/dist/main.js up --port 0 --data-dir <dir>` and resolves once it
 * printed its banner with the kubeconfig path. The end-to-end tests and the CLI's own
 * `up.int.test.ts` start their clusters with this.
 */
export async function startConvergeCluster(options: StartOptions = {}): Promise<ConvergeCluster> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'converge-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [cliMain, 'up', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout!.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`converge up did not start in time:\n${out}\n${err}`));
    }, options.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`converge up exited with ${code}:\n${out}\n${err}`));
    });
  });
  // Keep draining stdout (access log lines may go there) so the child never blocks on a full pipe.
  child.stdout!.on('data', () => {});
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)![1]!;
  const url = /API server at (\S+)/.exec(out)![1]!;
  const env = (extra?: Record<string, string>) => ({ ...process.env, KUBECONFIG: kubeconfig, ...extra });

  const kubectl = (args: string[], o: KubectlOptions = {}): KubectlResult => {
    const r = spawnSync('kubectl', args, { env: env(o.env), input: o.input, encoding: 'utf8', timeout: o.timeoutMs ?? 30_000 });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
  };

  const kubectlBackground = (args: string[]): BackgroundKubectl => {
    const bg = spawn('kubectl', args, { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let so = '';
    let se = '';
    const listeners = new Set<() => void>();
    const notify = () => {
      for (const l of listeners) l();
    };
    bg.stdout.setEncoding('utf8').on('data', (d: string) => {
      so += d;
      notify();
    });
    bg.stderr.setEncoding('utf8').on('data', (d: string) => {
      se += d;
      notify();
    });
    const done = new Promise<void>((resolve) => bg.on('exit', () => resolve()));
    const waitOn = (read: () => string, predicate: (text: string) => boolean, timeoutMs: number) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (predicate(read())) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(read());
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`kubectl ${args.join(' ')}: condition not met in ${timeoutMs} ms; stdout:\n${so}\nstderr:\n${se}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    return {
      stdout: () => so,
      stderr: () => se,
      waitFor: (predicate, timeoutMs = 10_000) => waitOn(() => so, predicate, timeoutMs),
      waitForStderr: (predicate, timeoutMs = 10_000) => waitOn(() => se, predicate, timeoutMs),
      stop: async () => {
        if (bg.exitCode === null && bg.signalCode === null) bg.kill('SIGTERM');
        await done;
      },
    };
  };

  const kubeconfigText = () => readFileSync(kubeconfig, 'utf8');
  return {
    url,
    kubeconfig,
    dataDir,
    pid: child.pid!,
    kubectl,
    kubectlBackground,
    adminToken: () => /token:\s*(\S+)/.exec(kubeconfigText())![1]!.replace(/^["']|["']$/g, ''),
    caPem: () => Buffer.from(/certificate-authority-data:\s*(\S+)/.exec(kubeconfigText())![1]!, 'base64').toString('utf8'),
    serverStderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Splits kubectl's table output into rows of cells (header first), on runs of two or more spaces. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}

/** Runs kubectl and throws (with what it printed) unless it exited 0; returns its stdout. */
export function ok(result: KubectlResult, what = 'kubectl'): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return result.stdout;
}
