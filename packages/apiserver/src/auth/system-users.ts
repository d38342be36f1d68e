/**
 * The users Kubernetes' own components act as, for components that run inside the API server's
 * process and write through its admission chain (see `RunningApiServer.admittedStore`).
 */
import { AUTHENTICATED_GROUP, type UserInfo } from './user-info.js';

/** The group of every kubelet (node agent). */
export const NODES_GROUP = 'system:nodes';

/** The user of kube-controller-manager: the built-in controllers. */
export const CONTROLLER_MANAGER_USER: UserInfo = Object.freeze({
  username: 'system:kube-controller-manager',
  groups: Object.freeze([AUTHENTICATED_GROUP]) as string[],
}) as UserInfo;

/** The user of kube-scheduler. */
export const SCHEDULER_USER: UserInfo = Object.freeze({
  username: 'system:kube-scheduler',
  groups: Object.freeze([AUTHENTICATED_GROUP]) as string[],
}) as UserInfo;

/** The user of the kubelet of one node: `system:node:<name>`, in the group `system:nodes`. */
export function nodeUser(nodeName: string): UserInfo {
  return { username: `system:node:${nodeName}`, groups: [NODES_GROUP, AUTHENTICATED_GROUP] };
}
