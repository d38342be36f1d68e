/**
 * How Kubernetes names things in its OpenAPI documents: schema names (`io.k8s.api.apps.v1.Deployment`),
 * operation ids (`listAppsV1NamespacedDeployment`) and the document paths of the v3 index
 * (`apis/apps/v1`).
 */
import type { GroupVersionKind, ResourceDefinition } from '@converge/core';

/** An OpenAPI schema (JSON Schema as OpenAPI 3.0 writes it). Treated as immutable once built. */
export type OpenAPISchema = Record<string, unknown>;

/** The prefix every v3 `$ref` to a component schema starts with. */
export const V3_REF_PREFIX = '#/components/schemas/';

/** A `$ref` to a component schema. */
export function refTo(name: string): OpenAPISchema {
  return { $ref: `${V3_REF_PREFIX}${name}` };
}

/**
 * The OpenAPI name of a protobuf message: `k8s.io.api.apps.v1.DeploymentSpec` →
 * `io.k8s.api.apps.v1.DeploymentSpec`; Go module names keep their dashes
 * (`io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps`).
 */
export function openAPINameOfMessage(protoName: string): string {
  const name = protoName.startsWith('k8s.io.') ? `io.k8s.${protoName.slice('k8s.io.'.length)}` : protoName;
  return name.replace(/_/g, '-');
}

/** The OpenAPI name of a kind: the definition's own, or Kubernetes' rule for custom resources (reversed group). */
export function openAPINameOf(def: Pick<ResourceDefinition, 'group' | 'version' | 'kind' | 'openAPIName'>): string {
  if (def.openAPIName) return def.openAPIName;
  const group = def.group ? def.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${group}.${def.version}.${def.kind}`;
}

/** The v3 index path of a group-version document: `api/v1` or `apis/apps/v1`. */
export function groupVersionPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** The REST path prefix of a group-version: `/api/v1` or `/apis/apps/v1`. */
export function restPrefix(gv: { group: string; version: string }): string {
  return `/${groupVersionPath(gv)}`;
}

function pascal(word: string): string {
  return word
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * The operation id stem of a group-version, as Kubernetes forms it: `CoreV1`, `AppsV1`,
 * `RbacAuthorizationV1` (a `.k8s.io` suffix is dropped), `StableExampleComV1`.
 */
export function operationGroupStem(gv: { group: string; version: string }): string {
  const group = gv.group === '' ? 'core' : gv.group.replace(/\.k8s\.io$/, '');
  return `${group.split('.').map(pascal).join('')}${pascal(gv.version)}`;
}

/** The `x-kubernetes-group-version-kind` value of a kind. */
export function gvkExtension(gvk: GroupVersionKind): { group: string; kind: string; version: string } {
  return { group: gvk.group, kind: gvk.kind, version: gvk.version };
}
