import { Command, Option } from 'commander';
import { runApiServer } from './apiserver.command.js';
import { addIdentityOptions } from './cluster-identity.flags.js';
import { concurrencyFlags, DEFAULT_LEASE, runControllerManager, type ControllerManagerFlags } from './controller-manager.command.js';
import { runScheduler, SCHEDULER_LEASE } from './scheduler.command.js';
import { runUp } from './up.command.js';
import { convergeVersion } from './version.js';

/** Builds the `converge` command line (commander): one subcommand per verb. */
export function buildProgram(): Command {
  const program = new Command('converge')
    .description('Converge: a reconciliation framework for Kubernetes-style controllers, and a reference cluster built from its plugins.')
    .version(convergeVersion());

  program
    .command('up')
    .description(
      'Start the reference cluster in this process: the store, the API server, the built-in controllers and the scheduler (a kubelet joins in a later release; --simulated-nodes stands in for nodes).',
    )
    .addOption(
      new Option('--store <kind>', 'where objects are stored: "memory" (embedded, lost on exit) or "etcd" (durable)')
        .choices(['memory', 'etcd'])
        .default('memory'),
    )
    .option('--data-dir <dir>', 'directory for the CA, keys, tokens, kubeconfig and (with --store etcd) etcd data', '.converge')
    .option('--host <address>', 'address the API server listens on', '127.0.0.1')
    .option('--port <port>', 'port of the API server', parsePort, 6443)
    .option('--etcd-endpoints <urls>', 'use an external etcd (comma-separated client URLs) instead of starting a local one')
    .option('--etcd-binary <path>', 'the etcd binary to start for --store etcd', 'etcd')
    .option(
      '--insecure-http',
      'serve plain HTTP WITHOUT AUTHENTICATION instead of HTTPS (loopback addresses only; every local client is a cluster admin)',
      false,
    )
    .option('--kubeconfig <path>', 'where to write the kubeconfig (default: <data-dir>/kubeconfig)')
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info')
    .option(
      '--controllers <list>',
      'built-in controllers to run, Kubernetes 1.32 names: "*" = all, "-foo" = off (e.g. "*,-deployment-controller"); "" = none',
      '*',
    )
    .option(
      '--simulated-nodes <n>',
      'run n kwok-style simulated nodes in process (1..253): Node objects, pods reported Running and Ready once scheduled, no containers run (until the kubelet lands)',
      parseSimulatedNodes,
    )
    .option(
      '--no-scheduler',
      'do not run the scheduler in process (pods stay pending for a scheduler of your own; simulated nodes then bind them round-robin)',
    )
    .option('--scheduler-config <file>', 'a KubeSchedulerConfiguration file for the in-process scheduler')
    .action(async (opts) => {
      await runUp(opts);
    });
  addIdentityOptions(program.commands.find((c) => c.name() === 'up')!);

  addIdentityOptions(
    program
      .command('apiserver')
      .description(
        "Run one API server against an existing etcd; several may share one etcd as one cluster (give every one after the first the first one's identity, e.g. --identity-dir).",
      )
      .requiredOption('--etcd-endpoints <urls>', 'the etcd of the cluster (comma-separated client URLs)')
      .option('--etcd-prefix <prefix>', 'prepended to every etcd key: the same on every API server of the cluster', '')
      .option(
        '--data-dir <dir>',
        "directory for this server's serving certificate, kubeconfig and (unless given) the cluster's CA, keys and admin token",
        '.converge-apiserver',
      )
      .option('--host <address>', 'address the API server listens on', '127.0.0.1')
      .option('--port <port>', 'port of the API server (the same on every API server of the cluster)', parsePort, 6443)
      .option('--kubeconfig <path>', 'where to write the kubeconfig (default: <data-dir>/kubeconfig)')
      .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info'),
  ).action(async (opts) => {
    await runApiServer(opts);
  });

  program
    .command('scheduler')
    .description(
      'Run the scheduler as its own process against any API server, as kube-scheduler does: it binds pending pods to nodes through filter and score plugins, leader-elected.',
    )
    .option('--kubeconfig <path>', 'the kubeconfig of the API server (default: $KUBECONFIG, ~/.kube/config or in-cluster)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option(
      '--config <file>',
      'a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1, YAML or JSON): profiles, plugins, weights, plugin args',
    )
    .option('--no-leader-elect', 'do not elect a leader (schedule even when another scheduler leads)')
    .option('--leader-elect-resource-name <name>', 'the Lease leader election uses', SCHEDULER_LEASE)
    .option('--leader-elect-resource-namespace <ns>', 'the namespace of that Lease', 'kube-system')
    .option(
      '--bind-address <address>',
      'address of the health (/healthz, /readyz) and metrics (/metrics) endpoints (plain HTTP)',
      '127.0.0.1',
    )
    .option('--port <port>', 'port of the health and metrics endpoints (0 = any free port)', parsePort, 10259)
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info')
    .action(async (opts) => {
      await runScheduler(opts);
    });

  const cm = program
    .command('controller-manager')
    .description(
      'Run the built-in controllers (garbage collector, namespace controller, ...) as their own process against any API server, as kube-controller-manager does.',
    )
    .option('--kubeconfig <path>', 'the kubeconfig of the API server (default: $KUBECONFIG, ~/.kube/config or in-cluster)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option(
      '--controllers <list>',
      'controllers to run, Kubernetes 1.32 names: "*" = all on by default, "foo" = on, "-foo" = off (e.g. "*,-garbage-collector-controller")',
      '*',
    )
    .option('--no-leader-elect', 'do not elect a leader (run the controllers even when another controller-manager leads)')
    .option('--leader-elect-resource-name <name>', 'the Lease leader election uses', DEFAULT_LEASE)
    .option('--leader-elect-resource-namespace <ns>', 'the namespace of that Lease', 'kube-system')
    .option(
      '--root-ca-file <path>',
      "the cluster CA (PEM) published as the kube-root-ca.crt ConfigMap in every namespace (default: the kubeconfig's certificate authority)",
    )
    .option('--kube-api-qps <n>', 'client-side limit on writes per second to the API server (default: none)', parsePositive)
    .option('--kube-api-burst <n>', 'writes allowed in a burst above --kube-api-qps', parsePositiveInt)
    .option(
      '--bind-address <address>',
      'address of the health (/healthz, /readyz) and metrics (/metrics) endpoints (plain HTTP)',
      '127.0.0.1',
    )
    .option('--port <port>', 'port of the health and metrics endpoints (0 = any free port)', parsePort, 10257)
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent', 'info')
    .addOption(
      new Option(
        '--node-monitor-grace-period <duration>',
        'how long a node may go without renewing its Lease or posting Ready before it is marked Unknown (e.g. 40s, 1m)',
      )
        .argParser(parseDuration)
        .default(40_000, '40s'),
    )
    .addOption(
      new Option('--node-startup-grace-period <duration>', 'the same for a node that never posted Ready, from its creation')
        .argParser(parseDuration)
        .default(60_000, '1m0s'),
    )
    .addOption(
      new Option('--node-monitor-period <duration>', 'how often a node that is not ready is looked at again')
        .argParser(parseDuration)
        .default(5_000, '5s'),
    )
    .option(
      '--node-eviction-rate <n>',
      'nodes per second given the NoExecute taint that evicts their pods, per healthy zone',
      parseNonNegative,
      0.1,
    )
    .option(
      '--allocate-node-cidrs <bool>',
      'give nodes pod ranges (spec.podCIDR) from --cluster-cidr (the node-ipam-controller)',
      parseBool,
      true,
    )
    .option('--cluster-cidr <cidr>', 'the IPv4 range node pod ranges are carved from', '10.244.0.0/16')
    .option('--node-cidr-mask-size <n>', "the prefix length of each node's pod range", parsePositiveInt, 24);
  for (const c of concurrencyFlags()) cm.option(`--${c.flag} <n>`, `workers of ${c.controller}`, parsePositiveInt, c.defaultValue);
  cm.action(async (opts: Record<string, unknown>) => {
    const concurrency: Record<string, number> = {};
    for (const c of concurrencyFlags()) concurrency[c.controller] = opts[camel(c.flag)] as number;
    await runControllerManager({ ...(opts as unknown as ControllerManagerFlags), leaderElect: opts['leaderElect'] !== false, concurrency });
  });

  return program;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`invalid value "${value}": must be a positive number`);
  return n;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`invalid value "${value}": must be a positive integer`);
  return n;
}

function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`invalid value "${value}": must be a number of at least 0`);
  return n;
}

function parseBool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`invalid value "${value}": must be true or false`);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration as kube-controller-manager's flags take it (`40s`, `1m30s`, `500ms`) into milliseconds. */
function parseDuration(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value)
    throw new Error(`invalid duration "${value}": e.g. 40s, 1m30s, 500ms`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0);
  if (ms <= 0) throw new Error(`invalid duration "${value}": must be more than 0`);
  return ms;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port "${value}": must be an integer between 0 and 65535`);
  return n;
}

function parseSimulatedNodes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 253) throw new Error(`invalid value "${value}": must be an integer from 0 to 253`);
  return n;
}
