/**
 * How a profile's plugins are made and sorted into extension points: one instance per plugin
 * per profile, created in its own child container (with `FrameworkHandleToken` and
 * `PluginArgsToken` bound), then multi-point plugins expanded to every point they implement
 * unless that point disables them, followed by the point's own enabled plugins.
 */
import { Container, injectable, type Newable } from 'inversify';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../framework/handle.js';
import {
  isBindPlugin,
  isFilterPlugin,
  isPermitPlugin,
  isPostBindPlugin,
  isPostFilterPlugin,
  isPreBindPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isReservePlugin,
  isScorePlugin,
  type SchedulerPlugin,
} from '../framework/plugin.js';
import type { ExtensionPoint, PluginRef, ProfileConfig } from './profile-config.js';

const POINT_GUARD: Record<ExtensionPoint, (p: SchedulerPlugin) => boolean> = {
  preFilter: isPreFilterPlugin,
  filter: isFilterPlugin,
  postFilter: isPostFilterPlugin,
  preScore: isPreScorePlugin,
  score: isScorePlugin,
  reserve: isReservePlugin,
  permit: isPermitPlugin,
  preBind: isPreBindPlugin,
  bind: isBindPlugin,
  postBind: isPostBindPlugin,
};

/** Creates a plugin in a child of `parent` where the handle and (when given) its args are bound. */
export function instantiatePlugin(
  parent: Container,
  cls: Newable<SchedulerPlugin>,
  handle: FrameworkHandle,
  args: unknown,
): SchedulerPlugin {
  const child = new Container({ parent });
  child.bind(FrameworkHandleToken).toConstantValue(handle);
  if (args !== undefined) child.bind(PluginArgsToken).toConstantValue(args);
  try {
    injectable()(cls);
  } catch {
    // already @injectable()
  }
  child.bind(cls).toSelf().inSingletonScope();
  return child.get(cls);
}

/**
 * The plugins of one extension point, in order, with their Score weights (the point's own
 * weight, else the multi-point one, else 1). Throws when a plugin enabled at the point does not
 * implement it.
 */
export function pluginsForPoint(
  profile: ProfileConfig,
  point: ExtensionPoint,
  plugins: ReadonlyMap<string, SchedulerPlugin>,
): { plugin: SchedulerPlugin; weight: number }[] {
  const set = profile.points?.[point];
  const disabled = new Set(set?.disabled ?? []);
  const explicit = new Map<string, PluginRef>((set?.enabled ?? []).map((p) => [p.name, p]));
  const refs: PluginRef[] = [];
  if (!disabled.has('*'))
    for (const p of profile.multiPoint)
      if (!disabled.has(p.name) && !explicit.has(p.name) && POINT_GUARD[point](plugins.get(p.name)!)) refs.push(p);
  for (const p of explicit.values()) {
    if (!POINT_GUARD[point](plugins.get(p.name)!))
      throw new Error(`profile ${profile.schedulerName}: plugin ${p.name} does not extend ${point}`);
    refs.push(p);
  }
  const weights = new Map(profile.multiPoint.map((p) => [p.name, p.weight]));
  return refs.map((ref) => ({ plugin: plugins.get(ref.name)!, weight: ref.weight || weights.get(ref.name) || 1 }));
}
