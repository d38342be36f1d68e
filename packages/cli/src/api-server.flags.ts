/**
 * What `converge up` and `converge apiserver` share: the flags of the API server they start
 * (where it keeps its files and listens, its kubeconfig, its log level, the cluster identity),
 * what those flags turn into, and how the command then runs.
 */
import { resolve } from 'node:path';
import { createLogger } from '@converge/core';
import type { ApiServerOptions, ClusterCredentials } from '@converge/apiserver';
import type { IdentityFlags } from './cluster-identity.flags.js';
import { writeKubeconfig } from './kubeconfig.js';
import { runUntilSignal } from './run-until-signal.js';
import type { RunningCluster } from './up.command.js';

/** The API server flags of `converge up` and `converge apiserver`. */
export interface ApiServerFlags extends IdentityFlags {
  /** Where the server keeps its certificates, keys, tokens and kubeconfig. */
  dataDir: string;
  /** The address the API server listens on. */
  host: string;
  /** The port of the API server. */
  port: number;
  /** Where to write the kubeconfig (default `<data-dir>/kubeconfig`). */
  kubeconfig?: string;
  /** The log level: fatal, error, warn, info, debug, trace, silent. */
  logLevel: string;
}

/** Splits a comma-separated `--etcd-endpoints` value into its client URLs (blank entries dropped). */
export function etcdEndpointsOf(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The options of `startApiServer` the shared flags set: the listening address and port, the data
 * dir (resolved by the caller), the cluster credentials the identity flags name, the advertised
 * address, and the logger at `--log-level`, with one access-log line per request only at debug or trace.
 */
export function apiServerOptionsOf(
  flags: ApiServerFlags,
  resolved: { dataDir: string; credentials: ClusterCredentials },
): Pick<ApiServerOptions, 'host' | 'port' | 'dataDir' | 'credentials' | 'advertiseAddress' | 'logger' | 'accessLog'> {
  return {
    host: flags.host,
    port: flags.port,
    dataDir: resolved.dataDir,
    credentials: resolved.credentials,
    ...(flags.advertiseAddress ? { advertiseAddress: flags.advertiseAddress } : {}),
    logger: createLogger({ level: flags.logLevel, name: 'apiserver', destination: process.stderr as never }),
    accessLog: flags.logLevel === 'debug' || flags.logLevel === 'trace',
  };
}

/** Writes the admin kubeconfig of a started server where `--kubeconfig` says (default `<dataDir>/kubeconfig`); returns its path. */
export async function writeServerKubeconfig(
  flags: Pick<ApiServerFlags, 'kubeconfig'>,
  dataDir: string,
  server: { url: string; caCertPem: string | undefined; adminToken: string },
): Promise<string> {
  const kubeconfigPath = resolve(flags.kubeconfig ?? resolve(dataDir, 'kubeconfig'));
  await writeKubeconfig(kubeconfigPath, { server: server.url, caCertPem: server.caCertPem, token: server.adminToken });
  return kubeconfigPath;
}

/** Writes a line to stderr: where the commands log what they do. */
export function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** What a command prints once its server is up. */
export interface ServingBanner {
  /** The first line (where the server is). */
  headline: string;
  /** A kubectl command to try against it. */
  example: string;
}

/** Prints how to use a started server with kubectl, then runs it until SIGINT / SIGTERM and stops it cleanly. */
export async function announceAndRunUntilSignal(running: RunningCluster, banner: ServingBanner): Promise<void> {
  process.stdout.write(
    [
      banner.headline,
      '',
      'To use it with kubectl:',
      `  export KUBECONFIG=${running.kubeconfigPath}`,
      `  ${banner.example}`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await runUntilSignal(running, logToStderr);
}
