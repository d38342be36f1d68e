/**
 * Runs the real `kubectl` from PATH against a test API server, through a temporary kubeconfig
 * that trusts the server's CA and carries the admin token. Test support; not exported.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningApiServer } from '../server/api-server.js';

/** What one kubectl run printed. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of one kubectl run. */
export interface KubectlRunOptions {
  stdin?: string;
  env?: Record<string, string>;
  /** Kill kubectl after this long (default 20 s). */
  timeoutMs?: number;
}

/** Who a kubectl is and where it points by default. */
export interface KubectlOptions {
  /** A bearer token; default the server's admin token. */
  token?: string;
  /** A client certificate instead of a token. */
  cert?: { certPem: string; keyPem: string };
  /** The kubeconfig context's namespace; default `default`. */
  namespace?: string;
}

/** A kubectl bound to one server through its own kubeconfig. */
export class Kubectl {
  /** A scratch directory for manifests and the kubeconfig. */
  readonly dir: string;
  readonly kubeconfig: string;

  constructor(api: RunningApiServer, options: KubectlOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'cv-kubectl-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
    const ca = api.caCertPem ? `    certificate-authority-data: ${Buffer.from(api.caCertPem).toString('base64')}\n` : '';
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const credentials = options.cert
      ? `    client-certificate-data: ${b64(options.cert.certPem)}\n    client-key-data: ${b64(options.cert.keyPem)}\n`
      : `    token: ${options.token ?? api.adminToken}\n`;
    writeFileSync(
      this.kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- name: converge
  cluster:
    server: ${api.url}
${ca}users:
- name: admin
  user:
${credentials}contexts:
- name: converge
  context:
    cluster: converge
    user: admin
    namespace: ${options.namespace ?? 'default'}
current-context: converge
`,
      { mode: 0o600 },
    );
  }

  /** Writes a file into the scratch directory; returns its path. */
  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  /** Runs kubectl with arguments; never rejects on a non-zero exit. */
  run(args: string[], options: KubectlRunOptions = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', args, {
        env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECTL_EXTERNAL_DIFF: '', HOME: this.dir, ...(options.env ?? {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      if (options.stdin !== undefined) child.stdin.end(options.stdin);
      else child.stdin.end();
    });
  }

  /** Runs kubectl and returns stdout, throwing with stderr when it fails. */
  async ok(args: string[], options: KubectlRunOptions = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (e.g. `get -w`); returns a handle to read its output and stop it. */
  start(args: string[]): { output: () => string; waitFor: (re: RegExp, timeoutMs?: number) => Promise<string>; stop: () => Promise<void> } {
    const child = spawn('kubectl', args, {
      env: { ...process.env, KUBECONFIG: this.kubeconfig, HOME: this.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const listeners: (() => void)[] = [];
    const onData = (d: string) => {
      out += d;
      for (const l of listeners.splice(0)) l();
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    return {
      output: () => out,
      waitFor: (re, timeoutMs = 10_000) =>
        new Promise((resolve, reject) => {
          const deadline = setTimeout(
            () => reject(new Error(`kubectl ${args.join(' ')} never printed ${re}; printed:\n${out}`)),
            timeoutMs,
          );
          const check = () => {
            if (re.test(out)) {
              clearTimeout(deadline);
              resolve(out);
            } else listeners.push(check);
          };
          check();
        }),
      stop: async () => {
        child.kill('SIGTERM');
        await closed;
      },
    };
  }

  /** Removes the scratch directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
