/**
 * The `/version` document: the Kubernetes version Converge speaks, tagged with its own.
 *
 * kubectl on these machines is a dispatcher that picks its binary from `minor`, so the
 * server says `1.32` (the API surface it implements) and names itself in `gitVersion`.
 */
import { createRequire } from 'node:module';

/** The Kubernetes minor version whose API this server implements. */
export const KUBERNETES_MINOR = '32';

/** The `version.Info` object of `/version`. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('../../package.json') as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the `/version` answer for a Converge build (default: this package's version). */
export function versionInfo(convergeVersion: string = packageVersion()): VersionInfo {
  return {
    major: '1',
    minor: KUBERNETES_MINOR,
    gitVersion: `v1.${KUBERNETES_MINOR}.0+converge.${convergeVersion}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
