import { Command, Option } from 'commander';
import { runApiServer } from './apiserver.command.js';
import { addIdentityOptions } from './cluster-identity.flags.js';
import { runUp } from './up.command.js';
import { convergeVersion } from './version.js';

/** Builds the `converge` command line (commander): one subcommand per verb. */
export function buildProgram(): Command {
  const program = new Command('converge')
    .description('Converge: a reconciliation framework for Kubernetes-style controllers, and a reference cluster built from its plugins.')
    .version(convergeVersion());

  program
    .command('up')
    .description('Start the reference cluster in this process: the store and the API server (controllers, scheduler and nodes join in later releases).')
    .addOption(new Option('--store <kind>', 'where objects are stored: "memory" (embedded, lost on exit) or "etcd" (durable)').choices(['memory', 'etcd']).default('memory'))
    .option('--data-dir <dir>', 'directory for the CA, keys, tokens, kubeconfig and (with --store etcd) etcd data', '.converge')
    .option('--host <address>', 'address the API server listens on', '127.0.0.1')
    .option('--port <port>', 'port of the API server', parsePort, 6443)
    .option('--etcd-endpoints <urls>', 'use an external etcd (comma-separated client URLs) instead of starting a local one')
    .option('--etcd-binary <path>', 'the etcd binary to start for --store etcd', 'etcd')
    .option('--insecure-http', 'serve plain HTTP WITHOUT AUTHENTICATION instead of HTTPS (loopback addresses only; every local client is a cluster admin)', false)
    .option('--kubeconfig <path>', 'where to write the kubeconfig (default: <data-dir>/kubeconfig)')
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info')
    .action(async (opts) => {
      await runUp(opts);
    });
  addIdentityOptions(program.commands.find((c) => c.name() === 'up')!);

  addIdentityOptions(
    program
      .command('apiserver')
      .description('Run one API server against an existing etcd; several may share one etcd as one cluster (give every one after the first the first one\'s identity, e.g. --identity-dir).')
      .requiredOption('--etcd-endpoints <urls>', 'the etcd of the cluster (comma-separated client URLs)')
      .option('--etcd-prefix <prefix>', 'prepended to every etcd key: the same on every API server of the cluster', '')
      .option('--data-dir <dir>', "directory for this server's serving certificate, kubeconfig and (unless given) the cluster's CA, keys and admin token", '.converge-apiserver')
      .option('--host <address>', 'address the API server listens on', '127.0.0.1')
      .option('--port <port>', 'port of the API server (the same on every API server of the cluster)', parsePort, 6443)
      .option('--kubeconfig <path>', 'where to write the kubeconfig (default: <data-dir>/kubeconfig)')
      .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info'),
  ).action(async (opts) => {
    await runApiServer(opts);
  });

  return program;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port "${value}": must be an integer between 0 and 65535`);
  return n;
}
