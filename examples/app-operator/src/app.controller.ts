import 'reflect-metadata';
import { createHash } from 'node:crypto';
import {
  ClockToken,
  ConfigMaps,
  Controller,
  Deployments,
  EventRecorder,
  finalize,
  getControllerOf,
  isConditionTrue,
  isControlledBy,
  isNotFound,
  LoggerToken,
  mutable,
  ObjectStoreToken,
  patchStatus,
  setCondition,
  setControllerReference,
  TerminalError,
  type Clock,
  type ConfigMap,
  type Container,
  type Deployment,
  type KubeObject,
  type Logger,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
  type StatusCondition,
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
export const appLabels = (app: App): Record<string, string> => ({
  'app.kubernetes.io/name': app.metadata.name!,
  'app.kubernetes.io/managed-by': 'app-operator',
});

type AppStatus = NonNullable<App['status']>;

/**
 * Keeps, for every App, a ConfigMap `<app>-config` holding `spec.config` and a Deployment
 * `<app>` running `spec.image` with that configuration as environment variables; both are
 * owned by the App (controller references), so the garbage collector deletes them with it.
 * Reports `status.readyReplicas`, `status.observedGeneration` and a `Ready` condition, and
 * records Events (`kubectl describe app`).
 *
 * The App's entry in the namespace's shared `app-directory` ConfigMap is not owned (other
 * Apps share that object), so a finalizer holds a deleted App until its entry is removed.
 *
 * `@Controller({ for: Apps, owns: [ConfigMaps, Deployments] })`: a change to an App, or to
 * a ConfigMap or Deployment it controls (e.g. the Deployment's status), reconciles the App.
 *
 * It reads through the manager's cached client (`ObjectStoreToken`): the App, its ConfigMap
 * and Deployment come from the shared informers its watches fill, so a reconcile makes no
 * read request. A read may lag the controller's own last write; it never reads back what it
 * just wrote (it uses the object the write returned), and updates are conditional on the
 * resourceVersion it read, so a stale read ends in a Conflict (or AlreadyExists) that is
 * retried once the cache has caught up.
 */
@Controller({ name: 'app', for: Apps, owns: [ConfigMaps, Deployments] })
export class AppController implements Reconciler {
  /** The Events this controller records. */
  readonly events: EventRecorder;

  constructor(
    /** The cached client: reads from the shared caches, writes to the store. */
    @inject(ObjectStoreToken) private readonly client: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(LoggerToken) logger?: Logger,
  ) {
    this.events = new EventRecorder({ store: client, component: 'app-controller', clock, ...(logger ? { logger } : {}) });
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    let app: App;
    try {
      app = await this.client.get(Apps, request);
    } catch (err) {
      if (isNotFound(err)) return; // deleted: owned objects go with it
      throw err;
    }

    // Add the finalizer; or, once the App is being deleted, clean up and remove it.
    const f = await finalize(this.client, Apps, app, { finalizer: APP_FINALIZER, cleanup: (a) => this.removeDirectoryEntry(a) });
    if (f.deleting) return;
    app = f.object;

    let deployment: Deployment;
    try {
      await this.ensureConfigMap(app);
      deployment = await this.ensureDeployment(app, ctx);
    } catch (err) {
      if (!(err instanceof OwnershipConflict)) throw err;
      // Retrying cannot help: say so in the status and an Event, and wait for the next change.
      this.events.warning(app, 'OwnershipConflict', err.message);
      await this.writeStatus(app, undefined, { type: 'Ready', status: 'False', reason: 'OwnershipConflict', message: err.message });
      throw new TerminalError(err);
    }
    await this.ensureDirectoryEntry(app);
    await this.writeStatus(app, deployment);
  }

  private async ensureConfigMap(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: `${app.metadata.name}-config` };
    const data = { ...(app.spec.config ?? {}) };
    const existing = await this.client.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!existing) {
      await this.client.create(
        ConfigMaps,
        setControllerReference(app, { metadata: { ...key, labels: appLabels(app) }, data } as ConfigMap, { ownerType: Apps }),
      );
      return;
    }
    assertControlledBy(existing, app);
    if (JSON.stringify(existing.data ?? {}) === JSON.stringify(data)) return;
    const next = mutable(existing);
    next.data = data;
    await this.client.update(ConfigMaps, next);
  }

  private async ensureDeployment(app: App, ctx: ReconcileContext): Promise<Deployment> {
    const key = { namespace: app.metadata.namespace!, name: app.metadata.name! };
    const desired = this.desiredDeployment(app);
    const existing = await this.client.get(Deployments, key).catch(notFoundAsUndefined);
    if (!existing) {
      const created = await this.client.create(Deployments, setControllerReference(app, desired, { ownerType: Apps }));
      this.events.normal(app, 'Created', `Created Deployment ${key.name}`);
      ctx.log.info({ deployment: key.name }, 'created the deployment');
      return created;
    }
    assertControlledBy(existing, app);
    // Set only the fields this controller owns; the registry's defaults and others' fields stay.
    const next = mutable(existing);
    const spec = next.spec!;
    spec.replicas = desired.spec!.replicas;
    const template = spec.template;
    template.metadata = {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, ...desired.spec!.template.metadata!.annotations },
    };
    const want = desired.spec!.template.spec!.containers[0]!;
    const containers = template.spec!.containers;
    const current = containers.find((c) => c.name === want.name);
    if (!current) containers.push(want);
    else {
      current.image = want.image;
      if (want.ports) current.ports = want.ports;
      else delete current.ports;
      current.envFrom = want.envFrom!;
    }
    if (JSON.stringify(next.spec) === JSON.stringify(existing.spec)) return existing;
    return this.client.update(Deployments, next); // conditional on resourceVersion: a Conflict is retried
  }

  private desiredDeployment(app: App): Deployment {
    const labels = appLabels(app);
    const configHash = createHash('sha256')
      .update(JSON.stringify(app.spec.config ?? {}))
      .digest('hex')
      .slice(0, 16);
    const container: Container = {
      name: 'app',
      image: app.spec.image,
      envFrom: [{ configMapRef: { name: `${app.metadata.name}-config` } }],
    };
    if (app.spec.port) container.ports = [{ containerPort: app.spec.port, protocol: 'TCP' }];
    return {
      metadata: { namespace: app.metadata.namespace!, name: app.metadata.name!, labels },
      spec: {
        replicas: app.spec.replicas ?? 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: configHash } }, spec: { containers: [container] } },
      },
    } as Deployment;
  }

  private async ensureDirectoryEntry(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: DIRECTORY_CONFIGMAP };
    const dir = await this.client.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!dir) {
      await this.client.create(ConfigMaps, { metadata: key, data: { [app.metadata.name!]: app.spec.image } });
      return;
    }
    if (dir.data?.[app.metadata.name!] === app.spec.image) return;
    const next = mutable(dir);
    next.data = { ...next.data, [app.metadata.name!]: app.spec.image };
    await this.client.update(ConfigMaps, next); // conditional: two Apps writing at once retry
  }

  private async removeDirectoryEntry(app: App): Promise<void> {
    const key = { namespace: app.metadata.namespace!, name: DIRECTORY_CONFIGMAP };
    const dir = await this.client.get(ConfigMaps, key).catch(notFoundAsUndefined);
    if (!dir?.data || !(app.metadata.name! in dir.data)) return;
    const next = mutable(dir);
    delete next.data![app.metadata.name!];
    await this.client.update(ConfigMaps, next);
  }

  /** Writes the status (a merge patch of what changed, nothing when nothing did): observedGeneration, readyReplicas, Ready. */
  private async writeStatus(app: App, deployment: Deployment | undefined, failure?: StatusCondition): Promise<void> {
    const wanted = app.spec.replicas ?? 1;
    const ready = deployment?.status?.readyReplicas ?? 0;
    const rolledOut =
      deployment !== undefined &&
      (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) &&
      (deployment.status?.updatedReplicas ?? 0) >= wanted;
    const condition: StatusCondition =
      failure ??
      (rolledOut && ready >= wanted
        ? { type: 'Ready', status: 'True', reason: 'Available', message: `${ready}/${wanted} replicas ready` }
        : { type: 'Ready', status: 'False', reason: 'Progressing', message: `${ready}/${wanted} replicas ready` });
    const status: AppStatus = mutable(app.status ?? {});
    status.observedGeneration = app.metadata.generation ?? 0;
    status.readyReplicas = ready;
    status.conditions ??= [];
    const wasReady = isConditionTrue(status.conditions, 'Ready');
    setCondition(status.conditions, { ...condition, observedGeneration: status.observedGeneration }, this.clock);
    await patchStatus(this.client, Apps, app, status);
    if (!wasReady && condition.status === 'True') this.events.normal(app, 'Ready', condition.message!);
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
  if (isControlledBy(obj, app)) return;
  const controller = getControllerOf(obj);
  const by = controller ? `${controller.kind} ${controller.name}` : 'no controller';
  throw new OwnershipConflict(
    `${obj.kind ?? 'object'} ${obj.metadata.namespace}/${obj.metadata.name} already exists and is controlled by ${by}, not by App ${app.metadata.name}`,
  );
}
