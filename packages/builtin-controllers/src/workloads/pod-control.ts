import {
  mutable,
  ownerReferenceFor,
  Pods,
  type KubeObject,
  type ObjectStore,
  type Pod,
  type PodTemplateSpec,
  type ResourceType,
} from '@converge/core';

/**
 * The pod a controller creates from its template: named `<controller name>-<random>`
 * (`generateName`), in the controller's namespace, with the template's labels, annotations,
 * finalizers and spec, and a controller owner reference (with `blockOwnerDeletion`) to
 * the controller, so the garbage collector deletes it with its owner.
 */
export function podFromTemplate(owner: KubeObject, ownerType: ResourceType, template: PodTemplateSpec | undefined): Pod {
  const t = mutable(template ?? {}) as PodTemplateSpec;
  const meta = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace!,
      ownerReferences: [ownerReferenceFor(owner, { ownerType, controller: true, blockOwnerDeletion: true })],
    },
    spec: t.spec ?? { containers: [] },
  } as Pod;
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** Creates pods from a controller's template through the store. */
export async function createPod(
  store: ObjectStore,
  owner: KubeObject,
  ownerType: ResourceType,
  template: PodTemplateSpec | undefined,
): Promise<Pod> {
  return store.create(Pods, podFromTemplate(owner, ownerType, template));
}
