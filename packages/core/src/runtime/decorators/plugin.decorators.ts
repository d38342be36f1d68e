import 'reflect-metadata';
import { LEADER_ONLY } from './controller.decorators.js';

/** The options of `@Plugin`. */
export interface PluginOptions {
  /** A name for logs; default the class name. */
  name?: string;
  /** Whether it runs only on the elected leader; default false (see also `@LeaderOnly`). */
  needLeaderElection?: boolean;
}

const PLUGIN = Symbol.for('converge.plugin');

/**
 * Declares a class as a plugin: a runnable with `start(signal)` that the manager creates
 * through its inversify container and runs beside the controllers.
 * `@Plugin({ name, needLeaderElection })` on class P is
 * `manager.add(container.get(P), { name, needLeaderElection })`.
 */
export function Plugin(options: PluginOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(PLUGIN, options, target);
  };
}

/** The `@Plugin` options of a class (with `@LeaderOnly` folded in), or undefined when it is not a plugin. */
export function pluginMetadataOf(cls: object): PluginOptions | undefined {
  const options = Reflect.getMetadata(PLUGIN, cls) as PluginOptions | undefined;
  if (!options) return undefined;
  const leaderOnly = Reflect.getMetadata(LEADER_ONLY, cls) as boolean | undefined;
  const out: PluginOptions = { ...options };
  if (out.name === undefined && typeof cls === 'function') out.name = cls.name;
  if (out.needLeaderElection === undefined && leaderOnly !== undefined) out.needLeaderElection = leaderOnly;
  return out;
}
