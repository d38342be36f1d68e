/**
 * Every plugin Converge implements of kube-scheduler's in-tree set, in one registry: what the
 * default profile and a configuration file can enable by name.
 */
import { PluginRegistry, type SchedulerPluginType } from '../framework/plugin.decorator.js';
import { BASIC_PLUGINS } from './basic-plugins.js';
import { DefaultBinder } from './defaultbinder/default-binder.plugin.js';
import { PREEMPTION_PLUGINS } from './preemption-plugins.js';
import { TOPOLOGY_PLUGINS } from './topology-plugins.js';

/** The in-tree plugin classes: the basic filters and scorers, the topology plugins, DefaultPreemption and DefaultBinder. */
export const IN_TREE_PLUGINS: readonly SchedulerPluginType[] = [
  ...BASIC_PLUGINS,
  ...TOPOLOGY_PLUGINS,
  ...PREEMPTION_PLUGINS,
  DefaultBinder,
];

/**
 * A new registry of the in-tree plugins; register your own plugin classes into it to enable
 * them from a profile (`inTreeRegistry().register(MyPlugin)`).
 */
export function inTreeRegistry(): PluginRegistry {
  return new PluginRegistry(IN_TREE_PLUGINS);
}
