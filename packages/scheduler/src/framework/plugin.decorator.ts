/**
 * `@SchedulerPluginClass({ name })`: declares a class as a scheduler plugin so that a profile
 * can enable it by name. The framework creates one instance per profile through an inversify
 * container in which `FrameworkHandleToken` and `PluginArgsToken` are bound.
 */
import 'reflect-metadata';
import type { Newable } from 'inversify';
import type { SchedulerPlugin } from './plugin.js';

/** The options of `@SchedulerPluginClass`. */
export interface SchedulerPluginOptions {
  /** The name configuration refers to (`NodeResourcesFit`). */
  readonly name: string;
}

const SCHEDULER_PLUGIN = Symbol.for('converge.scheduler.plugin');

/** Declares a scheduler plugin class with its configuration name. */
export function SchedulerPluginClass(options: SchedulerPluginOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SCHEDULER_PLUGIN, options, target);
  };
}

/** The `@SchedulerPluginClass` options of a class, or undefined when it is not one. */
export function schedulerPluginMetadataOf(cls: object): SchedulerPluginOptions | undefined {
  return Reflect.getMetadata(SCHEDULER_PLUGIN, cls) as SchedulerPluginOptions | undefined;
}

/** A plugin class. */
export type SchedulerPluginType = Newable<SchedulerPlugin>;

/** Plugin classes by name: what profiles can enable. */
export class PluginRegistry {
  private readonly byName = new Map<string, SchedulerPluginType>();

  /** A registry of the classes given. */
  constructor(classes: readonly SchedulerPluginType[] = []) {
    for (const c of classes) this.register(c);
  }

  /** Adds a `@SchedulerPluginClass` class; a second class with the same name is an error. */
  register(cls: SchedulerPluginType): this {
    const meta = schedulerPluginMetadataOf(cls);
    if (!meta) throw new Error(`${cls.name} is not a scheduler plugin: decorate it with @SchedulerPluginClass({ name })`);
    const existing = this.byName.get(meta.name);
    if (existing && existing !== cls) throw new Error(`scheduler plugin ${meta.name} is registered twice (${existing.name}, ${cls.name})`);
    this.byName.set(meta.name, cls);
    return this;
  }

  /** The class registered under `name`. */
  get(name: string): SchedulerPluginType | undefined {
    return this.byName.get(name);
  }

  /** Every registered name. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
