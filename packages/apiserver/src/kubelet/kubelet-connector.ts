/**
 * The plug point for the pod subresources a node's kubelet serves: `pods/log`, `pods/exec`,
 * `pods/attach` and `pods/portforward`. The API server checks the caller and that the pod exists
 * and is bound to a node, then hands the request to a KubeletConnector, which proxies it to that
 * node's kubelet (exec, attach and port-forward arrive as WebSocket or SPDY upgrades).
 *
 * Until the kubelet provides a connector, `NoKubeletConnector` answers every such request with a
 * 503 Status saying no kubelet is connected.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, type KubeObject } from '@converge/core';

/** The pod subresources served by kubelets. */
export const KUBELET_SUBRESOURCES: readonly string[] = ['log', 'exec', 'attach', 'portforward', 'proxy'];

/** One request for a kubelet. */
export interface KubeletConnectRequest {
  subresource: string;
  /** The pod, as stored. */
  pod: KubeObject;
  /** The node the pod is bound to. */
  nodeName: string;
  /** The query (container, follow, tailLines, command, ports, ...). */
  query: URLSearchParams;
  req: IncomingMessage;
  /** The response of a plain request (logs); unset for an upgrade. */
  res?: ServerResponse;
  /** The socket of an upgrade request (exec, attach, portforward), with the bytes read past its head. */
  upgrade?: { socket: Duplex; head: Buffer };
}

/** Proxies pod subresource requests to kubelets. */
export interface KubeletConnector {
  /** Serves the request (writing to `res` or the upgraded socket); throws a StatusError to refuse it. */
  connect(request: KubeletConnectRequest): Promise<void>;
}

/** The connector used while no kubelet is connected: a 503 Status for everything. */
export class NoKubeletConnector implements KubeletConnector {
  async connect(request: KubeletConnectRequest): Promise<void> {
    const pod = request.pod.metadata;
    throw new StatusError(
      'ServiceUnavailable',
      `no kubelet is connected for node "${request.nodeName}": pods/${request.subresource} of pod ${pod.namespace}/${pod.name} is served by the node's kubelet, and this cluster runs none yet`,
      { code: 503 },
    );
  }
}
