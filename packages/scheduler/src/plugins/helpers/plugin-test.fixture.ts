/**
 * Builders of pods, nodes and NodeInfos for the plugin tests, and a minimal FrameworkHandle
 * whose snapshot is the nodes a test gives (everything else throws: these plugins need nothing else).
 */
import type { Affinity, Container, Node, Pod, Toleration } from '@converge/core';
import { silentLogger } from '@converge/core';
import type { FrameworkHandle, Snapshot } from '../../framework/handle.js';
import { NodeInfo } from '../../framework/node-info.js';
import type { Taint } from './tolerations.js';

/** What a test container asks for. */
export interface ContainerShape {
  /** Its requests, e.g. `{ cpu: '500m', memory: '1Gi' }`. */
  readonly requests?: Record<string, string>;
  /** Host ports as `hostPort[/protocol][@hostIP]`, e.g. `8080`, `53/UDP`, `80@127.0.0.1`. */
  readonly hostPorts?: readonly string[];
  /** `Always` makes an init container a sidecar. */
  readonly restartPolicy?: 'Always';
}

/** What a test pod looks like. */
export interface PodShape {
  /** One container per entry (default: one container with no requests). */
  readonly containers?: readonly ContainerShape[];
  /** Init containers, in order. */
  readonly initContainers?: readonly ContainerShape[];
  /** `spec.overhead`. */
  readonly overhead?: Record<string, string>;
  /** `spec.nodeName`. */
  readonly nodeName?: string;
  /** `spec.nodeSelector`. */
  readonly nodeSelector?: Record<string, string>;
  /** `spec.affinity`. */
  readonly affinity?: Affinity;
  /** `spec.tolerations`. */
  readonly tolerations?: readonly Toleration[];
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string;
}

function makeContainer(name: string, shape: ContainerShape): Container {
  const c: Record<string, unknown> = { name, image: 'img' };
  if (shape.requests) c['resources'] = { requests: shape.requests };
  if (shape.restartPolicy) c['restartPolicy'] = shape.restartPolicy;
  if (shape.hostPorts) {
    c['ports'] = shape.hostPorts.map((spec) => {
      const m = /^(\d+)(?:\/(TCP|UDP|SCTP))?(?:@(.+))?$/.exec(spec);
      if (!m) throw new Error(`bad host port ${spec}`);
      return {
        containerPort: Number(m[1]),
        hostPort: Number(m[1]),
        ...(m[2] ? { protocol: m[2] } : {}),
        ...(m[3] ? { hostIP: m[3] } : {}),
      };
    });
  }
  return c as Container;
}

/** A pod in namespace `default` built from `shape`. */
export function makePod(name: string, shape: PodShape = {}): Pod {
  const spec: Record<string, unknown> = {
    containers: (shape.containers ?? [{}]).map((c, i) => makeContainer(`c${i}`, c)),
  };
  if (shape.initContainers) spec['initContainers'] = shape.initContainers.map((c, i) => makeContainer(`init${i}`, c));
  if (shape.overhead) spec['overhead'] = shape.overhead;
  if (shape.nodeName) spec['nodeName'] = shape.nodeName;
  if (shape.nodeSelector) spec['nodeSelector'] = shape.nodeSelector;
  if (shape.affinity) spec['affinity'] = shape.affinity;
  if (shape.tolerations) spec['tolerations'] = shape.tolerations;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: shape.uid ?? `uid-${name}` },
    spec,
  } as Pod;
}

/** What a test node looks like. */
export interface NodeShape {
  /** `status.allocatable` (default: 32 cpu, 64Gi memory, 110 pods). */
  readonly allocatable?: Record<string, string>;
  /** `metadata.labels`. */
  readonly labels?: Record<string, string>;
  /** `spec.taints`. */
  readonly taints?: readonly Taint[];
  /** `spec.unschedulable`. */
  readonly unschedulable?: boolean;
}

/** A node built from `shape`. */
export function makeNode(name: string, shape: NodeShape = {}): Node {
  const spec: Record<string, unknown> = {};
  if (shape.taints) spec['taints'] = shape.taints;
  if (shape.unschedulable !== undefined) spec['unschedulable'] = shape.unschedulable;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(shape.labels ? { labels: shape.labels } : {}) },
    spec,
    status: { allocatable: shape.allocatable ?? { cpu: '32', memory: '64Gi', pods: '110' } },
  } as Node;
}

/** The NodeInfo of `node` with `pods` on it. */
export function makeNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  return new NodeInfo(node, pods);
}

function notInStub(what: string): never {
  throw new Error(`${what} is not part of the plugin-test FrameworkHandle stub`);
}

/** A FrameworkHandle whose snapshot holds `nodes`; the parts these plugins never use throw when touched. */
export function stubHandle(nodes: readonly NodeInfo[] = []): FrameworkHandle {
  const snapshot: Snapshot = {
    list: () => nodes,
    get: (name) => nodes.find((n) => n.name === name),
    havePodsWithAffinity: () => nodes.filter((n) => n.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinity: () => nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
  };
  return {
    profileName: 'default-scheduler',
    get store(): never {
      return notInStub('store');
    },
    get clock(): never {
      return notInStub('clock');
    },
    logger: silentLogger(),
    get events(): never {
      return notInStub('events');
    },
    snapshot: () => snapshot,
    nominator: { nominatedPodsForNode: () => [] },
    waitingPod: () => undefined,
    runFilterPlugins: () => notInStub('runFilterPlugins'),
    runPreFilterExtensionAddPod: () => notInStub('runPreFilterExtensionAddPod'),
    runPreFilterExtensionRemovePod: () => notInStub('runPreFilterExtensionRemovePod'),
  };
}
