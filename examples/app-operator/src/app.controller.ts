import 'reflect-metadata';
import { createHash } from 'node:crypto';
import {
  apiVersionOf,
  ClockToken,
  ConfigMaps,
  Controller,
  Deployments,
  isNotFound,
  mutable,
  ObjectStoreToken,
  rfc3339,
  TerminalError,
  type Clock,
  type Condition,
  type Container,
  type ConfigMap,
  type Deployment,
  type KubeObject,
  type ObjectStore,
  type OwnerReference,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { inject } from 'inversify';
import { Apps, type App } from './app.kind.js';

/** The finalizer that keeps an App until its entry in the namespace's app directory is removed. */
export const APP_FINALIZER = 'example.converge.dev/directory-entry';
/** The ConfigMap, one per namespace, listing the Apps in it (`<app>: <image>`); shared, so not owned by any App. */
export const DIRECTORY_CONFIGMAP = 'app-directory';
/** The pod-template annotation holding a hash of the configuration, so a configuration change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'example.converge.dev/config-hash';
/** The labels of an App's pods. */
export const appLabels = (app: App): Record<string, string> => ({ 'app.kubernetes.io/name': app.metadata.name!, 'app.kubernetes.io/managed-by': 'app-operator' });

/**
 * Keeps, for every App, a ConfigMap `<app>-config` holding `spec.config` and a Deployment
 * `<app>` running `spec.image` with that configuration as environment variables; both are
 * owned by the App (controller references), so the garbage collector deletes them with it.
 * Reports `status.readyReplicas`, `status.observedGeneration` and a `Ready` condition.
 *
 * The App's entry in the namespace's shared `app-directory` ConfigMap is not owned (other
 * Apps share that object), so a finalizer holds a deleted App until its entry is removed.
 *
 * `@Controller({ for: Apps, owns: [ConfigMaps, Deployments] })`: a change to an App, or to
 * a ConfigMap or Deployment it controls (e.g. the Deployment's status), reconciles the App.
 */
@Controller({ name: 'app', for: Apps, owns: [ConfigMaps, Deployments] })
export class AppController implements Reconciler {
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
  ) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    let app: App;
    try {
      app = await this.store.get(Apps, request);
    } catch (err) {
      if (isNotFound(err)) return; // deleted: owned objects go with it
      throw err;
    }

    if (app.metadata.deletionTimestamp) {
      if (!app.metadata.finalizers?.includes(APP_FINALIZER)) return;
      await this.removeDirectoryEntry(app);
      const next = mutable(app);
      next.metadata.finalizers = next.metadata.finalizers!.filter((f) => f !== APP_FINALIZER);
      await this.store.update(Apps, next);
      ctx.log.info('removed the directory entry and the finalizer');
      return;
    }
    if (!app.metadata.finalizers?.includes(APP_FINALIZER)) {
      const next = mutable(app);
      next.metadata.finalizers = [...(next.metadata.finalizers ?? []), APP_FINALIZER];
      app = await this.store.update(Apps, next);
    }

    let deployment: Deployment;
    try {
      await this.ensureConfigMap(app);
      deployment = await this.ensureDeployment(app);
    } catch (err) {
      if (!(err instanceof OwnershipConflict)) throw err;
      // Retrying cannot help: say so in the status and wait for the next change.
      await this.updateStatus(app, undefined, { type: 'Ready', status: 'False', reason: 'OwnershipConflict', message: err.message });
      throw new TerminalError(err);
    }
    await this.ensureDirectoryEntry(app);
    await this.updateStatus(app, deployment);
  }

  /** The controller reference children of `app` carry. */
  private ownerRef(app: App): OwnerReference {
    return { apiVersion: apiVersionOf(Apps), kind: Apps.kind, name: app.metadata.name!, uid: app.metadata.uid!, controller: true, blockOwnerDeletion: true };
  }

  private async ensureConfigMap(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: `${app.metadata.name}-config` };
    const data = { ...(app.spec.config ?? {}) };
    const existing = await this.store.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!existing) {
      await this.store.create(ConfigMaps, { metadata: { ...key, labels: appLabels(app), ownerReferences: [this.ownerRef(app)] }, data });
      return;
    }
    assertControlledBy(existing, app);
    if (JSON.stringify(existing.data ?? {}) === JSON.stringify(data)) return;
    const next = mutable(existing);
    next.data = data;
    await this.store.update(ConfigMaps, next);
  }

  private async ensureDeployment(app: App): Promise<Deployment> {
    const key = { namespace: app.metadata.namespace!, name: app.metadata.name! };
    const existing = await this.store.get(Deployments, key).catch(notFoundAsUndefined);
    if (!existing) return this.store.create(Deployments, this.desiredDeployment(app));
    assertControlledBy(existing, app);
    const desired = this.desiredDeployment(app);
    const next = mutable(existing);
    next.spec!.replicas = desired.spec!.replicas;
    next.spec!.template.metadata = { ...next.spec!.template.metadata, annotations: { ...next.spec!.template.metadata?.annotations, ...desired.spec!.template.metadata!.annotations } };
    const want = desired.spec!.template.spec!.containers[0]!;
    const containers = next.spec!.template.spec!.containers;
    const current = containers.find((c) => c.name === want.name);
    if (!current) containers.push(want);
    else {
      current.image = want.image;
      if (want.ports) current.ports = want.ports;
      else delete current.ports;
      current.envFrom = want.envFrom!;
    }
    if (JSON.stringify(next.spec) === JSON.stringify(existing.spec)) return existing;
    return this.store.update(Deployments, next);
  }

  private desiredDeployment(app: App): Deployment {
    const labels = appLabels(app);
    const configHash = createHash('sha256').update(JSON.stringify(app.spec.config ?? {})).digest('hex').slice(0, 16);
    const container: Container = {
      name: 'app',
      image: app.spec.image,
      envFrom: [{ configMapRef: { name: `${app.metadata.name}-config` } }],
    };
    if (app.spec.port) container.ports = [{ containerPort: app.spec.port, protocol: 'TCP' }];
    return {
      metadata: { namespace: app.metadata.namespace!, name: app.metadata.name!, labels, ownerReferences: [this.ownerRef(app)] },
      spec: {
        replicas: app.spec.replicas ?? 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: configHash } }, spec: { containers: [container] } },
      },
    } as Deployment;
  }

  private async ensureDirectoryEntry(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: DIRECTORY_CONFIGMAP };
    const dir = await this.store.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!dir) {
      await this.store.create(ConfigMaps, { metadata: key, data: { [app.metadata.name!]: app.spec.image } });
      return;
    }
    if (dir.data?.[app.metadata.name!] === app.spec.image) return;
    const next = mutable(dir);
    next.data = { ...next.data, [app.metadata.name!]: app.spec.image };
    await this.store.update(ConfigMaps, next); // conditional on resourceVersion: a Conflict retries
  }

  private async removeDirectoryEntry(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: DIRECTORY_CONFIGMAP };
    const dir = await this.store.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!dir?.data || !(app.metadata.name! in dir.data)) return;
    const next = mutable(dir);
    delete next.data![app.metadata.name!];
    await this.store.update(ConfigMaps, next);
  }

  /** Writes the status subresource when it changed: observedGeneration, readyReplicas and the Ready condition. */
  private async updateStatus(app: App, deployment: Deployment | undefined, failure?: Condition): Promise<void> {
    const wanted = app.spec.replicas ?? 1;
    const ready = deployment?.status?.readyReplicas ?? 0;
    const rolledOut = deployment !== undefined && (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) && (deployment.status?.updatedReplicas ?? 0) >= wanted;
    const available = rolledOut && ready >= wanted;
    const readyCondition: Condition =
      failure ??
      (available
        ? { type: 'Ready', status: 'True', reason: 'Available', message: `${ready}/${wanted} replicas ready` }
        : { type: 'Ready', status: 'False', reason: 'Progressing', message: `${ready}/${wanted} replicas ready` });
    const status = {
      observedGeneration: app.metadata.generation ?? 0,
      readyReplicas: ready,
      conditions: setCondition(app.status?.conditions ?? [], { ...readyCondition, observedGeneration: app.metadata.generation ?? 0 }, this.clock.now()),
    };
    if (JSON.stringify(status) === JSON.stringify(app.status ?? {})) return;
    const next = mutable(app);
    next.status = status;
    await this.store.update(Apps, next, { subresource: 'status' });
  }
}

function notFoundAsUndefined(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}

/** An object the App needs exists but is not the App's to manage. */
class OwnershipConflict extends Error {}

/** Refuses to manage an object of the App's name that another owner (or nobody) controls. */
function assertControlledBy(obj: KubeObject, app: App): void {
  const controller = obj.metadata.ownerReferences?.find((r) => r.controller);
  if (controller?.uid === app.metadata.uid) return;
  const by = controller ? `${controller.kind} ${controller.name}` : 'no controller';
  throw new OwnershipConflict(`${obj.kind ?? 'object'} ${obj.metadata.namespace}/${obj.metadata.name} already exists and is controlled by ${by}, not by App ${app.metadata.name}`);
}

/**
 * Sets a condition in a list, returning a new list: `lastTransitionTime` changes only when
 * the status changes, as Kubernetes' `meta.SetStatusCondition` does.
 */
function setCondition(conditions: readonly Condition[], condition: Condition, now: number): Condition[] {
  const old = conditions.find((c) => c.type === condition.type);
  const lastTransitionTime = old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
  return [...conditions.filter((c) => c.type !== condition.type), { ...condition, lastTransitionTime }];
}
