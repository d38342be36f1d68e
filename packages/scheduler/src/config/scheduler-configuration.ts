/**
 * Reading a KubeSchedulerConfiguration: parse (YAML or JSON), validate, merge each profile's
 * plugins with Kubernetes 1.32's defaults as kube-scheduler's v1 defaulting does, and check
 * every plugin name against the registry.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '@converge/core';
import { parse as parseYaml } from 'yaml';
import type { PluginRegistry } from '../framework/plugin.decorator.js';
import { DEFAULT_BINDER, DefaultBinder } from '../plugins/defaultbinder/default-binder.plugin.js';
import {
  EXTENSION_POINTS,
  type ExtensionPoint,
  type PluginRef,
  type PluginSetConfig,
  type ProfileConfig,
} from '../runtime/profile-config.js';
import { BUILT_IN_PLUGINS, DEFAULT_MULTI_POINT_PLUGINS, DEFAULT_SCHEDULER_NAME } from './default-plugins.js';
import {
  KubeSchedulerConfigurationSchema,
  type KubeSchedulerConfiguration,
  type KubeSchedulerPluginSet,
  type KubeSchedulerProfile,
} from './kube-scheduler-configuration.schema.js';

/** The scheduler's settings, resolved: defaults applied, profiles checked against the registry. */
export interface SchedulerConfiguration {
  /** The profiles, one per scheduler name. */
  readonly profiles: readonly ProfileConfig[];
  /** The share of nodes to find feasible before scoring (0 = adaptive). */
  readonly percentageOfNodesToScore: number;
  /** The first back-off of a failed pod, in ms. */
  readonly podInitialBackoffMs: number;
  /** The longest back-off, in ms. */
  readonly podMaxBackoffMs: number;
}

/** Thrown for a configuration that cannot be used; the message names the file and the field. */
export class SchedulerConfigurationError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerConfigurationError';
  }
}

/** Options of `resolveSchedulerConfiguration` and `loadSchedulerConfiguration`. */
export interface ResolveConfigurationOptions {
  /** The plugins that exist; DefaultBinder is registered into it when missing. */
  registry: PluginRegistry;
  /** Where skipped default plugins are logged (debug). */
  logger?: Logger;
  /** Names the source in error messages. */
  source?: string;
}

/** The configuration kube-scheduler runs without a file: one `default-scheduler` profile with the default plugins that are registered. */
export function defaultSchedulerConfiguration(options: ResolveConfigurationOptions): SchedulerConfiguration {
  return resolveSchedulerConfiguration({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' }, options);
}

/** Reads, validates and resolves a configuration file (YAML or JSON). */
export async function loadSchedulerConfiguration(path: string, options: ResolveConfigurationOptions): Promise<SchedulerConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SchedulerConfigurationError(`cannot read scheduler configuration ${path}: ${(err as Error).message}`);
  }
  return parseSchedulerConfiguration(text, { ...options, source: options.source ?? path });
}

/** Parses, validates and resolves a configuration document (YAML or JSON text). */
export function parseSchedulerConfiguration(text: string, options: ResolveConfigurationOptions): SchedulerConfiguration {
  const where = options.source ?? 'scheduler configuration';
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new SchedulerConfigurationError(`${where}: not valid YAML or JSON: ${(err as Error).message}`);
  }
  return resolveSchedulerConfiguration(doc, options);
}

/**
 * Validates a configuration object and resolves it: each profile's plugins are merged with the
 * default multi-point plugins (disabled ones removed, `*` removing all, re-enabled ones keeping
 * their default place), defaults that are not registered are skipped (logged at debug), and any
 * other unknown plugin name is an error naming it.
 */
export function resolveSchedulerConfiguration(doc: unknown, options: ResolveConfigurationOptions): SchedulerConfiguration {
  // The binder every profile needs is part of the scheduler itself.
  if (!options.registry.get(DEFAULT_BINDER)) options.registry.register(DefaultBinder);
  const where = options.source ?? 'scheduler configuration';
  const parsed = KubeSchedulerConfigurationSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new SchedulerConfigurationError(`invalid ${where}: ${issues.join('; ')}`);
  }
  const cfg: KubeSchedulerConfiguration = parsed.data;
  const initial = cfg.podInitialBackoffSeconds ?? 1;
  const max = cfg.podMaxBackoffSeconds ?? 10;
  if (max < initial)
    throw new SchedulerConfigurationError(
      `invalid ${where}: podMaxBackoffSeconds (${max}) must be at least podInitialBackoffSeconds (${initial})`,
    );
  const profiles = (cfg.profiles?.length ? cfg.profiles : [{}]).map((p, i) => resolveProfile(p, i, where, options));
  const names = new Set<string>();
  for (const [i, p] of profiles.entries()) {
    if (names.has(p.schedulerName))
      throw new SchedulerConfigurationError(`invalid ${where}: profiles[${i}].schedulerName: duplicate "${p.schedulerName}"`);
    names.add(p.schedulerName);
  }
  return {
    profiles,
    percentageOfNodesToScore: cfg.percentageOfNodesToScore ?? 0,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
  };
}

function resolveProfile(p: KubeSchedulerProfile, index: number, where: string, options: ResolveConfigurationOptions): ProfileConfig {
  const schedulerName = p.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const at = `profiles[${index}]`;
  const fail = (msg: string): never => {
    throw new SchedulerConfigurationError(`invalid ${where}: ${at} (${schedulerName}): ${msg}`);
  };
  const check = (name: string, field: string): boolean => {
    if (BUILT_IN_PLUGINS.has(name)) return false;
    if (!options.registry.get(name))
      fail(`${field}: plugin "${name}" is not registered (registered: ${options.registry.names().sort().join(', ')})`);
    return true;
  };
  const plugins = p.plugins ?? {};
  for (const point of ['queueSort', 'preEnqueue'] as const)
    for (const e of plugins[point]?.enabled ?? [])
      if (!BUILT_IN_PLUGINS.has(e.name))
        fail(`plugins.${point}: plugin "${e.name}" is not supported (only PrioritySort and SchedulingGates)`);
  const multiPoint = mergeMultiPoint(
    plugins.multiPoint,
    (name) => {
      options.logger?.debug({ plugin: name, profile: schedulerName }, 'default scheduler plugin not registered; skipped');
    },
    options.registry,
  );
  const userMulti = new Set((plugins.multiPoint?.enabled ?? []).map((e) => e.name));
  const multi: PluginRef[] = [];
  for (const ref of multiPoint) {
    if (userMulti.has(ref.name)) {
      if (check(ref.name, 'plugins.multiPoint.enabled')) multi.push(ref);
    } else if (!BUILT_IN_PLUGINS.has(ref.name)) multi.push(ref);
  }
  const points: Partial<Record<ExtensionPoint, PluginSetConfig>> = {};
  for (const point of EXTENSION_POINTS) {
    const set = plugins[point];
    if (!set) continue;
    const enabled: PluginRef[] = [];
    for (const e of set.enabled ?? []) if (check(e.name, `plugins.${point}.enabled`)) enabled.push(refOf(e));
    points[point] = { enabled, disabled: (set.disabled ?? []).map((d) => d.name) };
  }
  const pluginArgs: Record<string, unknown> = {};
  for (const [i, c] of (p.pluginConfig ?? []).entries()) {
    if (c.name in pluginArgs) fail(`pluginConfig[${i}].name: duplicate "${c.name}"`);
    pluginArgs[c.name] = c.args ?? {};
  }
  const profile: ProfileConfig = {
    schedulerName,
    multiPoint: multi,
    points,
    pluginArgs,
    ...(p.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: p.percentageOfNodesToScore } : {}),
  };
  return profile;
}

function refOf(e: { name: string; weight?: number | undefined }): PluginRef {
  return e.weight !== undefined ? { name: e.name, weight: e.weight } : { name: e.name };
}

/** Kubernetes' mergePluginSet for multi-point: defaults not disabled (registered ones only), re-configured in place, then the user's others. */
function mergeMultiPoint(
  custom: KubeSchedulerPluginSet | undefined,
  skipped: (name: string) => void,
  registry: PluginRegistry,
): PluginRef[] {
  const disabled = new Set((custom?.disabled ?? []).map((d) => d.name));
  const enabled = new Map((custom?.enabled ?? []).map((e, i) => [e.name, { index: i, ref: refOf(e) }]));
  const replaced = new Set<number>();
  const out: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const d of DEFAULT_MULTI_POINT_PLUGINS) {
      if (disabled.has(d.name)) continue;
      const c = enabled.get(d.name);
      if (c) {
        replaced.add(c.index);
        out.push(c.ref);
        continue;
      }
      if (!BUILT_IN_PLUGINS.has(d.name) && !registry.get(d.name)) {
        skipped(d.name);
        continue;
      }
      out.push(d);
    }
  }
  for (const [i, e] of (custom?.enabled ?? []).entries()) if (!replaced.has(i)) out.push(refOf(e));
  return out;
}
