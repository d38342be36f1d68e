/**
 * The Node objects of simulated nodes: what a kubelet registers for its machine, for nodes
 * that exist only as API objects (kwok's idea). Used by the simulated node agent.
 */
import { rfc3339, type Node } from '@converge/core';

/** The label every simulated node carries (value `true`), so they can be told from real ones. */
export const SIMULATED_NODE_LABEL = 'node.converge.dev/simulated';

/** The kubelet version simulated nodes report. */
export const SIMULATED_KUBELET_VERSION = 'v1.32.0-converge-simulated';

/** The name of simulated node `index` (0-based): `converge-node-1`, `converge-node-2`, ... */
export function simulatedNodeName(index: number): string {
  return `converge-node-${index + 1}`;
}

/** The InternalIP of simulated node `index` (0-based): 127.0.0.2, 127.0.0.3, ... (127.0.0.1 is the API server's). */
export function simulatedNodeAddress(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 252) throw new Error(`simulated node index must be 0..252, got ${index}`);
  return `127.0.0.${index + 2}`;
}

/** The pod range of simulated node `index`: 10.244.<index>.0/24, as a cluster's node IPAM hands out. */
export function simulatedPodCidr(index: number): string {
  return `10.244.${index}.0/24`;
}

/** The Node a simulated node registers: Ready, with capacity, addresses on 127.0.0.x and a pod range. */
export function simulatedNode(index: number, now: number): Node {
  const name = simulatedNodeName(index);
  const ts = rfc3339(now);
  const resources = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [SIMULATED_NODE_LABEL]: 'true',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: simulatedPodCidr(index), podCIDRs: [simulatedPodCidr(index)] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'simulated node has sufficient memory available',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'simulated node has no disk pressure',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'simulated node has sufficient PID available',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'simulated kubelet is posting ready status',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: simulatedNodeAddress(index) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `converge-simulated-${index + 1}`,
        systemUUID: `converge-simulated-${index + 1}`,
        bootID: `converge-simulated-${index + 1}`,
        kernelVersion: 'simulated',
        osImage: 'Converge simulated node',
        containerRuntimeVersion: 'simulated://0',
        kubeletVersion: SIMULATED_KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  } as Node;
}
