import { KUBERNETES_CONTROLLER_ALIASES, KUBERNETES_CONTROLLER_NAMES } from './controller-names.js';

/** What a selection needs to know of one built-in controller. */
export interface SelectableController {
  /** Its Kubernetes 1.32 name, e.g. `garbage-collector-controller`. */
  readonly name: string;
  /** Other names accepted for it, e.g. `garbagecollector`. */
  readonly aliases: readonly string[];
  /** Whether `*` leaves it off (it runs only when named). */
  readonly disabledByDefault?: boolean;
}

/** The outcome of a `--controllers` selection. */
export interface ControllerSelection {
  /** The names of the controllers to run, in table order. */
  enabled: string[];
  /** Kubernetes controller names that were selected explicitly but that Converge does not implement. */
  notImplemented: string[];
}

/** Splits a `--controllers` flag value (`*,-garbage-collector-controller`) into its items. */
export function parseControllersFlag(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Resolves a `--controllers` list as kube-controller-manager 1.32 does: `name` turns a
 * controller on, `-name` off, `*` turns on every controller not disabled by default; the
 * first item naming a controller decides; with neither its name nor `*`, it is off. Names
 * are Kubernetes' (`deployment-controller`) or their old short aliases (`deployment`).
 * An unknown name is an error.
 */
export function selectControllers(items: readonly string[], table: readonly SelectableController[]): ControllerSelection {
  const canonical = new Map<string, string>();
  for (const name of KUBERNETES_CONTROLLER_NAMES) canonical.set(name, name);
  for (const [alias, name] of Object.entries(KUBERNETES_CONTROLLER_ALIASES)) canonical.set(alias, name);
  for (const c of table) {
    canonical.set(c.name, c.name);
    for (const a of c.aliases) canonical.set(a, c.name);
  }
  const resolved: string[] = [];
  for (const raw of items) {
    if (raw === '*') {
      resolved.push('*');
      continue;
    }
    const off = raw.startsWith('-');
    const bare = off ? raw.slice(1) : raw;
    const name = canonical.get(bare);
    if (!name) {
      throw new Error(
        `"${bare}" is not in the list of known controllers (${[...new Set([...KUBERNETES_CONTROLLER_NAMES, ...table.map((c) => c.name)])].sort().join(', ')})`,
      );
    }
    resolved.push(off ? `-${name}` : name);
  }
  const isOn = (name: string, disabledByDefault: boolean): boolean => {
    let star = false;
    for (const item of resolved) {
      if (item === name) return true;
      if (item === `-${name}`) return false;
      if (item === '*') star = true;
    }
    return star && !disabledByDefault;
  };
  const enabled = table.filter((c) => isOn(c.name, c.disabledByDefault ?? false)).map((c) => c.name);
  const implemented = new Set(table.map((c) => c.name));
  const notImplemented = [...new Set(resolved.filter((r) => r !== '*' && !r.startsWith('-') && !implemented.has(r)))];
  return { enabled, notImplemented };
}
