/**
 * A profile as the framework builds it: which plugins run at which extension point, with
 * which score weights and arguments. `src/config` turns a KubeSchedulerConfiguration into
 * these; code may also write them directly.
 */

/** The extension points a profile configures (QueueSort and PreEnqueue are built into the queue). */
export type ExtensionPoint =
  'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'permit' | 'preBind' | 'bind' | 'postBind';

/** Every configurable extension point, in the order a scheduling attempt runs them. */
export const EXTENSION_POINTS: readonly ExtensionPoint[] = [
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
];

/** A plugin named in a profile, with its score weight (0 or absent means 1). */
export interface PluginRef {
  /** The plugin's registered name. */
  readonly name: string;
  /** Its Score weight. */
  readonly weight?: number;
}

/** The plugins of one extension point besides the multi-point ones. */
export interface PluginSetConfig {
  /** Plugins enabled at this point (after the multi-point ones, in this order). */
  readonly enabled?: readonly PluginRef[];
  /** Multi-point plugins not to run at this point; `*` disables them all here. */
  readonly disabled?: readonly string[];
}

/** One scheduling profile, resolved (defaults merged in, names checked against the registry). */
export interface ProfileConfig {
  /** The `spec.schedulerName` of the pods this profile schedules. */
  readonly schedulerName: string;
  /** Plugins enabled at every extension point they implement. */
  readonly multiPoint: readonly PluginRef[];
  /** Per extension point additions and exclusions. */
  readonly points?: Partial<Record<ExtensionPoint, PluginSetConfig>>;
  /** Plugin arguments by plugin name (`pluginConfig[].args`). */
  readonly pluginArgs?: Readonly<Record<string, unknown>>;
  /** The share of nodes to find feasible before scoring (0 = adaptive); overrides the scheduler's. */
  readonly percentageOfNodesToScore?: number;
}
