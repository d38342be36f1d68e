import { Option, type Command } from 'commander';
import { readClusterCredentials, type ClusterCredentials } from '@converge/apiserver';

/** The flags that give an API server the cluster's identity (shared by `converge up` and `converge apiserver`). */
export interface IdentityFlags {
  identityDir?: string;
  caFile?: string;
  caKeyFile?: string;
  serviceAccountSigningKeyFile?: string;
  adminTokenFile?: string;
  advertiseAddress?: string;
  apiserverLeaseSeconds?: number;
}

/** Adds the identity and presence flags to a command: `--identity-dir`, `--ca-file`, `--ca-key-file`, `--service-account-signing-key-file`, `--admin-token-file`, `--advertise-address`, `--apiserver-lease-seconds`. */
export function addIdentityOptions(command: Command): Command {
  return command
    .option(
      '--identity-dir <dir>',
      'join a cluster: the data dir of one of its API servers, whose ca.crt, ca.key, sa.key and admin-token this server uses (each flag below overrides its file)',
    )
    .option(
      '--ca-file <path>',
      "the cluster CA certificate (PEM), with --ca-key-file: signs this server's serving certificate and client certificates",
    )
    .option('--ca-key-file <path>', 'the private key of --ca-file (PEM)')
    .option(
      '--service-account-signing-key-file <path>',
      'the key that signs and verifies service-account tokens (PEM, EC P-256), the same on every API server of the cluster',
    )
    .option('--admin-token-file <path>', "a file holding the admin's bearer token (default: <data-dir>/admin-token, made on first start)")
    .option(
      '--advertise-address <ip>',
      "the address of this API server in the kubernetes Service endpoints (default: --host, or this machine's address when --host is a wildcard)",
    )
    .addOption(
      new Option('--apiserver-lease-seconds <seconds>', 'how long a server that died stays in the kubernetes endpoints (store etcd)')
        .argParser(parseSeconds)
        .default(15),
    );
}

/** Reads the files the identity flags name; an empty result when none is given. */
export function credentialsFromFlags(flags: IdentityFlags): ClusterCredentials {
  return readClusterCredentials({
    ...(flags.identityDir ? { identityDir: flags.identityDir } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.caKeyFile ? { caKeyFile: flags.caKeyFile } : {}),
    ...(flags.serviceAccountSigningKeyFile ? { serviceAccountSigningKeyFile: flags.serviceAccountSigningKeyFile } : {}),
    ...(flags.adminTokenFile ? { adminTokenFile: flags.adminTokenFile } : {}),
  });
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid duration "${value}": a whole number of seconds, at least 1`);
  return n;
}
