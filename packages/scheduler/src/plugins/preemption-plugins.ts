/**
 * The preemption plugins a profile can enable: DefaultPreemption (PostFilter).
 */
import type { SchedulerPluginType } from '../framework/plugin.decorator.js';
import { DefaultPreemption } from './defaultpreemption/default-preemption.plugin.js';

/** Every preemption plugin class, for a `PluginRegistry`. */
export const PREEMPTION_PLUGINS: SchedulerPluginType[] = [DefaultPreemption];
