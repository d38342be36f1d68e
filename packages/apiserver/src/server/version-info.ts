/**
 * The `/version` document: the Kubernetes version Converge speaks, tagged with its own.
 *
 * kubectl on these machines is a dispatcher that picks its binary from `minor`, so the
 * server says `1.32` (the API surface it implements) and names itself in `gitVersion`.
 *
 * Where `gitCommit`, `gitTreeState` and `buildDate` come from (there is no build step that could
 * stamp them, since the package runs from `tsc` output or from source): when the package lies
 * in a git checkout (the usual case: a clone of the repository), they are read from git once per
 * process: the commit of `HEAD`, `dirty` when tracked files differ from it, and the commit's
 * date as the build date. Otherwise (an installed package) the commit is unknown (`""`), the tree
 * state `clean`, and the build date is when the package's files were written (the mtime of its
 * `package.json`). The build date is never the Unix epoch.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Where a build came from: what `/version` says besides the version numbers. */
export interface BuildInfo {
  /** The full commit hash, or `""` when unknown. */
  gitCommit: string;
  /** `clean`, or `dirty` when the checkout had changes. */
  gitTreeState: 'clean' | 'dirty';
  /** RFC 3339 in UTC, second precision (`2024-05-01T12:00:00Z`). */
  buildDate: string;
}

const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('../../package.json') as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function utcSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function git(args: string[]): string {
  return execFileSync('git', ['-C', PACKAGE_DIR, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
}

function readBuildInfo(): BuildInfo {
  try {
    const [commit, time] = git(['log', '-1', '--format=%H %ct', 'HEAD']).split(' ');
    if (commit && /^[0-9a-f]{40}$/.test(commit) && time) {
      let dirty = false;
      try {
        git(['diff-index', '--quiet', 'HEAD', '--']);
      } catch {
        dirty = true;
      }
      return { gitCommit: commit, gitTreeState: dirty ? 'dirty' : 'clean', buildDate: utcSeconds(Number(time) * 1000) };
    }
  } catch {
    // not a git checkout, or no git: fall through to the package's own files
  }
  let written = Date.now();
  try {
    written = statSync(`${PACKAGE_DIR}/package.json`).mtimeMs;
  } catch {
    // keep the start time
  }
  return { gitCommit: '', gitTreeState: 'clean', buildDate: utcSeconds(written) };
}

let cachedBuild: BuildInfo | undefined;

/** What this package's build is, found once per process (see the file's doc for where from). */
export function buildInfo(): BuildInfo {
  cachedBuild ??= readBuildInfo();
  return cachedBuild;
}

/** Builds the `/version` answer for a Converge build (default: this package's version and build). */
export function versionInfo(convergeVersion: string = packageVersion(), build: BuildInfo = buildInfo()): VersionInfo {
  return {
    major: '1',
    minor: KUBERNETES_MINOR,
    gitVersion: `v1.${KUBERNETES_MINOR}.0+converge.${convergeVersion}`,
    gitCommit: build.gitCommit,
    gitTreeState: build.gitTreeState,
    buildDate: build.buildDate,
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
