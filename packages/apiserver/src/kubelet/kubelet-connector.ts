/**
 * The plug point for what a node's kubelet serves: the pod subresources `pods/log`, `pods/exec`,
 * `pods/attach`, `pods/portforward` and `pods/proxy`, and `nodes/proxy`. The API server checks
 * the caller and that the pod exists and is bound to a node (or that the node exists), then hands
 * the request to a KubeletConnector, which proxies it to that node's kubelet (exec, attach and
 * port-forward arrive as WebSocket or SPDY upgrades).
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
  /** For `pods/<id>/proxy/<path>`: what the path asks for (`<id>` is `name`, `name:port` or `scheme:name:port`). */
  proxy?: ProxyTarget;
}

/** What a `<kind>/<id>/proxy/<path>` request asks for. */
export interface ProxyTarget {
  /** `http` or `https`, when the id names one. */
  scheme?: string;
  /** The port (a number or a port name), when the id names one. */
  port?: string;
  /** The path after `/proxy` (always starting with `/`). */
  path: string;
}

/** One `nodes/<name>/proxy/<path>` request for a node's kubelet. */
export interface NodeConnectRequest {
  /** The node, as stored. */
  node: KubeObject;
  /** What the path asks for (the port defaults to the kubelet's). */
  proxy: ProxyTarget;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** Proxies pod subresource and node proxy requests to kubelets. */
export interface KubeletConnector {
  /** Serves the request (writing to `res` or the upgraded socket); throws a StatusError to refuse it. */
  connect(request: KubeletConnectRequest): Promise<void>;
  /** Serves `nodes/<name>/proxy`; a connector without it answers 503 as `NoKubeletConnector` does. */
  connectNode?(request: NodeConnectRequest): Promise<void>;
}

/** The 503 of a node request no kubelet can serve. */
export function noKubeletForNode(nodeName: string): StatusError {
  return new StatusError(
    'ServiceUnavailable',
    `no kubelet is connected for node "${nodeName}": nodes/proxy is served by the node's kubelet, and this cluster runs none yet`,
    { code: 503 },
  );
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

  async connectNode(request: NodeConnectRequest): Promise<void> {
    throw noKubeletForNode(request.node.metadata.name ?? '');
  }
}
