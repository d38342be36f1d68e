/**
 * DefaultBinder: binds a pod to its node through the `pods/binding` subresource, as
 * kube-scheduler's DefaultBinder plugin does.
 */
import 'reflect-metadata';
import { Pods, type Pod } from '@converge/core';
import { inject } from 'inversify';
import type { CycleState } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, type FrameworkHandle } from '../../framework/handle.js';
import type { BindPlugin } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';

/** The name of the DefaultBinder plugin. */
export const DEFAULT_BINDER = 'DefaultBinder';

/** Binds pods by creating a Binding (`POST pods/<name>/binding`) with the pod's uid as a precondition. */
@SchedulerPluginClass({ name: DEFAULT_BINDER })
export class DefaultBinder implements BindPlugin {
  /** The plugin's name. */
  readonly name = DEFAULT_BINDER;

  /** Made by the framework with the profile's handle. */
  constructor(@inject(FrameworkHandleToken) private readonly handle: FrameworkHandle) {}

  /** Creates the Binding; an API error becomes an Error status (the pod is forgotten and backs off). */
  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    try {
      await this.handle.store.create(Pods, binding as never, { subresource: 'binding', name: pod.metadata.name! });
      return Status.success;
    } catch (err) {
      return Status.error(err);
    }
  }
}
