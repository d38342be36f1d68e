/**
 * The subresources the API server hands to the kubelet plug point: a pod's `log`, `exec`,
 * `attach`, `portforward` and `proxy` (over plain HTTP or as a connection upgrade), and a
 * node's `proxy`.
 */
import type { Duplex } from 'node:stream';
import { StatusError, type KubeObject, type ObjectStore, type ResourceDefinition } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { servedSubresourceOf } from '@converge/store';
import { proxyRequestOf } from '../handlers/proxy.handler.js';
import type { RequestContext } from '../handlers/request-context.js';
import { serialize, toStatusError } from '../http/response-writer.js';
import { KUBELET_SUBRESOURCES, noKubeletForNode, type KubeletConnector, type KubeletConnectRequest } from '../kubelet/kubelet-connector.js';
import { resourceNotFound } from './resource-not-found.js';

/** What the kubelet subresource handler needs: the parts of the API handler's options it serves from. */
export interface KubeletSubresourceHandlerOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  kubelet: KubeletConnector;
}

/** Connects a pod's or a node's subresource request to its node's kubelet. */
export class KubeletSubresourceHandler {
  constructor(private readonly o: KubeletSubresourceHandlerOptions) {}

  /** Serves a pod subresource (`log`, `exec`, `proxy`, ...) over plain HTTP. */
  async pod(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    await this.connectPod(ctx, def, { res: ctx.res });
  }

  /** `nodes/<id>/proxy/<path>`: handed to the kubelet plug point (a 503 without a kubelet). */
  async nodeProxy(ctx: RequestContext, def: ResourceDefinition): Promise<void> {
    const { id, target } = proxyRequestOf(ctx, 'node');
    const node = await this.o.store.get(def, { name: id.name });
    if (!this.o.kubelet.connectNode) throw noKubeletForNode(id.name);
    await this.o.kubelet.connectNode({ node, proxy: target, query: ctx.url.searchParams, req: ctx.req, res: ctx.res });
  }

  /**
   * Serves an upgrade request (exec, attach, port-forward) of an authenticated and authorized
   * user; throws a StatusError (see {@link refuseUpgrade}) for a path that is not a kubelet
   * subresource of a pod.
   */
  async upgrade(ctx: RequestContext, socket: Duplex, head: Buffer): Promise<void> {
    const { info } = ctx;
    if (
      !info.isResourceRequest ||
      servedSubresourceOf(info, info.subresource) !== 'kubelet' ||
      !KUBELET_SUBRESOURCES.includes(info.subresource)
    )
      throw resourceNotFound();
    const def = this.o.catalog.get({ group: info.group, version: info.version, resource: info.resource });
    if (!def) throw resourceNotFound();
    await this.connectPod(ctx, def, { upgrade: { socket, head } });
  }

  /** Finds the pod the request names and its node, and hands the request to the kubelet plug point. */
  private async connectPod(
    ctx: RequestContext,
    def: ResourceDefinition,
    io: Pick<KubeletConnectRequest, 'res'> | Pick<KubeletConnectRequest, 'upgrade'>,
  ): Promise<void> {
    const proxy = ctx.info.subresource === 'proxy' ? proxyRequestOf(ctx, 'pod') : undefined;
    const name = proxy?.id.name ?? ctx.info.name;
    const pod = await this.o.store.get(def, { namespace: ctx.info.namespace, name });
    await this.o.kubelet.connect({
      subresource: ctx.info.subresource,
      pod,
      nodeName: nodeNameOf(pod, name),
      query: ctx.url.searchParams,
      req: ctx.req,
      ...io,
      ...(proxy ? { proxy: proxy.target } : {}),
    });
  }
}

/** Answers a failed upgrade request on its socket as an HTTP response with a Status body. */
export function refuseUpgrade(socket: Duplex, err: unknown): void {
  const status = toStatusError(err).toStatus();
  const body = serialize(status, 'json');
  if (!socket.destroyed) {
    socket.end(
      `HTTP/1.1 ${status.code} ${httpReason(status.code ?? 500)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}

function nodeNameOf(pod: KubeObject, name: string): string {
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw new StatusError('BadRequest', `pod ${name} does not have a host assigned`);
  return nodeName;
}

function httpReason(code: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return reasons[code] ?? 'Error';
}
