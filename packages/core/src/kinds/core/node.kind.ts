/**
 * core/v1 Node: a machine pods run on, with its capacity, conditions and taints.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import {
  atomicList,
  bool,
  conditionList,
  field,
  int64,
  keyedList,
  loose,
  obj,
  oneOf,
  reqInt32,
  reqStr,
  resourceList,
  str,
  strList,
  strSet,
  time,
} from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { forbiddenField, invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/name-rules.js';

/** A taint of a node. */
export const TaintSchema = obj(
  {
    key: reqStr('Taint key.'),
    value: str('Taint value.'),
    effect: reqStr('NoSchedule, PreferNoSchedule or NoExecute.'),
    timeAdded: time('When a NoExecute taint was added.'),
  },
  'Repels pods that do not tolerate it.',
);

const NodeConditionSchema = obj(
  {
    type: reqStr('Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, ...'),
    status: reqStr('True, False or Unknown.'),
    lastHeartbeatTime: time('When the condition was last reported.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason of the last transition.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a node's state.",
);

const NodeSystemInfoSchema = obj(
  {
    machineID: reqStr('Machine ID.'),
    systemUUID: reqStr('System UUID.'),
    bootID: reqStr('Boot ID.'),
    kernelVersion: reqStr('Kernel version (uname -r).'),
    osImage: reqStr('OS image, from /etc/os-release.'),
    containerRuntimeVersion: reqStr('Container runtime, <name>://<version>.'),
    kubeletVersion: reqStr('Kubelet version.'),
    kubeProxyVersion: str('Deprecated: kube-proxy version.'),
    operatingSystem: reqStr('Operating system (linux, windows).'),
    architecture: reqStr('CPU architecture (amd64, arm64).'),
    swap: loose('Swap information (accepted loosely).'),
  },
  "Identity and versions of a node's software.",
);

/** The schema of a Node. */
export const NodeSchema = objectSchema('A Node: a machine (physical or virtual) that runs pods.', {
  spec: field(
    obj(
      {
        podCIDR: str('The pod IP range of the node.'),
        podCIDRs: strSet('Pod IP ranges of the node, one per family.', { 'x-kubernetes-patch-strategy': 'merge' }),
        providerID: str('Cloud provider ID of the node: <provider>://<id>.'),
        unschedulable: bool('When true, no new pods are scheduled on the node (kubectl cordon).'),
        taints: atomicList(TaintSchema, 'Taints of the node.'),
        configSource: loose('Deprecated dynamic kubelet config source (accepted loosely).'),
        externalID: str('Deprecated.'),
      },
      'The desired state of a Node.',
    ),
    'The desired state of the node.',
  ),
  status: field(
    obj(
      {
        capacity: resourceList('Total resources of the node.'),
        allocatable: resourceList('Resources available to pods.'),
        phase: oneOf(['Pending', 'Running', 'Terminated'], 'Deprecated lifecycle phase.'),
        conditions: conditionList(NodeConditionSchema, 'Current conditions of the node.'),
        addresses: keyedList(
          obj(
            { type: reqStr('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'), address: reqStr('The address.') },
            'An address of a node.',
          ),
          'type',
          'Addresses of the node.',
          { noPatchStrategy: false },
        ),
        daemonEndpoints: field(
          obj(
            { kubeletEndpoint: field(obj({ Port: reqInt32('Port number.') }, 'An endpoint.'), "The kubelet's endpoint.") },
            'Endpoints of daemons on the node.',
          ),
          'Endpoints of daemons on the node.',
        ),
        nodeInfo: field(NodeSystemInfoSchema, "Identity and versions of the node's software."),
        images: atomicList(
          obj({ names: strList('Names of the image.'), sizeBytes: int64('Size of the image.') }, 'A container image on the node.'),
          'Images present on the node.',
        ),
        volumesInUse: strList('Volumes attached and mounted.'),
        volumesAttached: atomicList(
          obj({ name: reqStr('Volume name.'), devicePath: reqStr('Device path.') }, 'An attached volume.'),
          'Volumes attached to the node.',
        ),
        config: loose('Status of the kubelet config (accepted loosely).'),
        runtimeHandlers: atomicList(loose('A runtime handler (accepted loosely).').unwrap(), 'Runtime handlers available.'),
        features: loose('Features supported by the node (accepted loosely).'),
      },
      'The observed state of a Node.',
    ),
    'The observed state of the node, reported by its kubelet.',
  ),
});

/** A Node. */
export type Node = z.infer<typeof NodeSchema> & KubeObject;

/** The STATUS cell of `kubectl get nodes`: Ready / NotReady / Unknown, plus SchedulingDisabled. */
export function nodeStatus(n: Node): string {
  const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown') : 'Unknown'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** The ROLES cell: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`. */
export function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(n: Node, type: string): string {
  return (n.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** core/v1 nodes. */
export const Nodes: ResourceDefinition<Node> = defineKind<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
  shortNames: ['no'],
  subresources: { status: true, others: ['proxy'] },
  schema: NodeSchema,
  description: 'A Node: a machine (physical or virtual) that runs pods.',
  openAPIName: 'io.k8s.api.core.v1.Node',
  strategy: {
    validate(n, old) {
      const out: StatusCause[] = [];
      (n.spec?.taints ?? []).forEach((t, i) => {
        const p = `spec.taints[${i}]`;
        if (!t.key) out.push(requiredValue(`${p}.key`));
        else for (const e of isQualifiedName(t.key)) out.push(invalidValue(`${p}.key`, t.key, e));
        if (t.value) for (const e of isValidLabelValue(t.value)) out.push(invalidValue(`${p}.value`, t.value, e));
        if (!TAINT_EFFECTS.includes(t.effect)) out.push(notSupported(`${p}.effect`, t.effect, TAINT_EFFECTS));
      });
      if (old?.spec?.podCIDRs?.length && JSON.stringify(old.spec.podCIDRs) !== JSON.stringify(n.spec?.podCIDRs ?? old.spec.podCIDRs))
        out.push(forbiddenField('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
      if (old?.spec?.providerID && n.spec?.providerID !== old.spec.providerID)
        out.push(forbiddenField('spec.providerID', 'node updates may not change providerID except from "" to valid'));
      return out;
    },
    statusFields: ['status'],
    selectableFields: { 'spec.unschedulable': (n) => String(n.spec?.unschedulable ?? false) },
  },
  printerColumns: [
    column('Status', 'string', 'Readiness of the node, and whether it is cordoned.', (o) => nodeStatus(o as Node)),
    column('Roles', 'string', 'Roles of the node, from its node-role labels.', (o) => nodeRoles(o as Node)),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet version of the node.', (o) => (o as Node).status?.nodeInfo?.kubeletVersion ?? ''),
    column('Internal-IP', 'string', 'Internal IP of the node.', (o) => address(o as Node, 'InternalIP'), 1),
    column('External-IP', 'string', 'External IP of the node.', (o) => address(o as Node, 'ExternalIP'), 1),
    column('OS-Image', 'string', 'OS image of the node.', (o) => (o as Node).status?.nodeInfo?.osImage || '<unknown>', 1),
    column('Kernel-Version', 'string', 'Kernel version of the node.', (o) => (o as Node).status?.nodeInfo?.kernelVersion || '<unknown>', 1),
    column(
      'Container-Runtime',
      'string',
      'Container runtime of the node.',
      (o) => (o as Node).status?.nodeInfo?.containerRuntimeVersion || '<unknown>',
      1,
    ),
  ],
});
