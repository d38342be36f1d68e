/**
 * core/v1 Service: a stable virtual IP and DNS name for a set of pods.
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
  int32,
  intOrString,
  keyedList,
  obj,
  oneOf,
  reqInt32,
  str,
  strList,
  strMap,
} from '../schema/fields.js';
import { ConditionSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column, labelsString } from '../printers.js';
import { duplicateValue, forbiddenField, invalidValue, requiredValue } from '../validation/field-errors.js';
import { isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum } from '../validation/name-rules.js';
import { validateLabels } from '../validation/object-meta.validation.js';

/** A port of a Service. */
export const ServicePortSchema = obj(
  {
    name: str('Name of the port, a DNS label; required when the service has more than one port.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'Protocol of the port; TCP when unset.').meta({
      description: 'Protocol of the port; TCP when unset.',
      default: 'TCP',
    }),
    appProtocol: str('Application protocol hint, e.g. http, kubernetes.io/h2c.'),
    port: reqInt32('Port the service exposes.'),
    targetPort: intOrString('Port number or named container port on the pods; the same as port when unset.'),
    nodePort: int32('Port on every node for NodePort and LoadBalancer services; allocated when unset.'),
  },
  'A port a Service exposes and the pod port it forwards to.',
);

const LoadBalancerIngressSchema = obj(
  {
    ip: str('IP of the load balancer.'),
    hostname: str('DNS name of the load balancer.'),
    ipMode: str('VIP or Proxy: how traffic reaches the load balancer IP.'),
    ports: atomicList(
      obj(
        { port: reqInt32('Port number.'), protocol: str('Protocol.'), error: str('Error of the port, if any.') },
        'A load balancer port status.',
      ),
      'Status of each port.',
    ),
  },
  'An ingress point of a load balancer.',
);

/** The schema of a Service. */
export const ServiceSchema = objectSchema('A Service: a stable virtual IP and DNS name load balancing over a set of pods.', {
  spec: field(
    obj(
      {
        ports: keyedList(ServicePortSchema, 'port', 'Ports the service exposes.', { mapKeys: ['port', 'protocol'] }),
        selector: strMap('Labels of the pods traffic is routed to; endpoints are managed by hand when unset.').meta({
          description: 'Labels of the pods traffic is routed to; endpoints are managed by hand when unset.',
          'x-kubernetes-map-type': 'atomic',
        }),
        clusterIP: str('The virtual IP, allocated when unset; "None" makes a headless service. Cannot change once set.'),
        clusterIPs: strList('The virtual IPs, one per IP family; the first equals clusterIP.'),
        type: oneOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], 'How the service is exposed; ClusterIP when unset.'),
        externalIPs: strList('IPs on which nodes also accept traffic for the service.'),
        sessionAffinity: oneOf(['ClientIP', 'None'], 'ClientIP pins each client to one pod; None when unset.'),
        loadBalancerIP: str('Deprecated: the IP a load balancer should use.'),
        loadBalancerSourceRanges: strList('Client CIDRs a load balancer admits.'),
        externalName: str('DNS name the service aliases (CNAME), for type ExternalName.'),
        externalTrafficPolicy: oneOf(
          ['Cluster', 'Local'],
          'Whether external traffic may go to pods on other nodes (Cluster) or only local ones (Local).',
        ),
        healthCheckNodePort: int32('Node port for load balancer health checks with externalTrafficPolicy Local.'),
        publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready.'),
        sessionAffinityConfig: field(
          obj(
            {
              clientIP: field(
                obj({ timeoutSeconds: int32('Seconds a ClientIP session sticks; 10800 when unset.') }, 'ClientIP affinity settings.'),
                'ClientIP affinity settings.',
              ),
            },
            'Session affinity settings.',
          ),
          'Session affinity settings.',
        ),
        ipFamilies: strList('IP families of the service: IPv4, IPv6.'),
        ipFamilyPolicy: oneOf(['SingleStack', 'PreferDualStack', 'RequireDualStack'], 'How many IP families the service gets.'),
        allocateLoadBalancerNodePorts: bool('Whether LoadBalancer services get node ports; true when unset.'),
        loadBalancerClass: str('The load balancer implementation to use.'),
        internalTrafficPolicy: oneOf(['Cluster', 'Local'], 'Whether in-cluster traffic may go to pods on other nodes.'),
        trafficDistribution: str('Preference for routing traffic, e.g. PreferClose.'),
      },
      'The desired state of a Service.',
    ),
    'The desired state of the service.',
  ),
  status: field(
    obj(
      {
        loadBalancer: field(
          obj({ ingress: atomicList(LoadBalancerIngressSchema, 'Ingress points of the load balancer.') }, 'Status of a load balancer.'),
          'Status of the load balancer, if any.',
        ),
        conditions: conditionList(ConditionSchema, 'Current conditions of the service.'),
      },
      'The observed state of a Service.',
    ),
    'The observed state of the service.',
  ),
});

/** A Service. */
export type Service = z.infer<typeof ServiceSchema> & KubeObject;
type ServiceSpec = NonNullable<Service['spec']>;

function externalIP(s: Service): string {
  const spec = s.spec ?? {};
  const ext = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName || '<none>';
    case 'LoadBalancer': {
      const ing = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      const all = [...ing, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return ext.length ? ext.join(',') : '<none>';
  }
}

function portsCell(s: Service): string {
  const ports = s.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function validateServiceSpec(spec: ServiceSpec | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  if (!spec) return [requiredValue('spec')];
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) out.push(requiredValue('spec.externalName'));
    else
      for (const e of isDNS1123Subdomain(spec.externalName.replace(/\.$/, '')))
        out.push(invalidValue('spec.externalName', spec.externalName, e));
  } else if (ports.length === 0 && !headless) out.push(requiredValue('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) out.push(requiredValue(`${pp}.name`));
    if (p.name) {
      if (names.has(p.name)) out.push(duplicateValue(`${pp}.name`, p.name));
      names.add(p.name);
    }
    for (const e of isValidPortNum(p.port)) out.push(invalidValue(`${pp}.port`, p.port, e));
    if (typeof p.targetPort === 'number')
      for (const e of isValidPortNum(p.targetPort)) out.push(invalidValue(`${pp}.targetPort`, p.targetPort, e));
    else if (typeof p.targetPort === 'string')
      for (const e of isValidPortName(p.targetPort)) out.push(invalidValue(`${pp}.targetPort`, p.targetPort, e));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        out.push(forbiddenField(`${pp}.nodePort`, `may not be used when \`type\` is '${type}'`));
      else for (const e of isValidPortNum(p.nodePort)) out.push(invalidValue(`${pp}.nodePort`, p.nodePort, e));
    }
  });
  if (spec.clusterIP && spec.clusterIP !== 'None')
    for (const e of isValidIP(spec.clusterIP)) out.push(invalidValue('spec.clusterIP', spec.clusterIP, e));
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) out.push(requiredValue('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) out.push(invalidValue('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) out.push(invalidValue('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  if (ips[0] === 'None' && ips.length > 1) out.push(invalidValue('spec.clusterIPs', ips, "'None' must be the first and only value"));
  if (spec.healthCheckNodePort && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    out.push(
      invalidValue(
        'spec.healthCheckNodePort',
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  if (type === 'ExternalName' && spec.clusterIP && spec.clusterIP !== 'None')
    out.push(forbiddenField('spec.clusterIP', 'may not be set for ExternalName services'));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    for (const e of isValidIP(ip)) out.push(invalidValue(`spec.externalIPs[${i}]`, ip, e));
  });
  out.push(...validateLabels(spec.selector, 'spec.selector'));
  const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (t !== undefined && (t <= 0 || t > 86400))
    out.push(invalidValue('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
  return out;
}

const needsClusterIP = (s: ServiceSpec) => s.type !== 'ExternalName';
const needsNodePort = (s: ServiceSpec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
const needsHealthCheckNodePort = (s: ServiceSpec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === b![i]);

/**
 * What Kubernetes' service strategy does to an update before validating it: values the
 * server allocated are kept when the update omits them (cluster IPs; node ports by port
 * name; the health check node port), `clusterIPs` follows a changed `clusterIP`, and fields
 * that a type change makes meaningless are dropped when the update left them as they were
 * (the cluster IPs and IP family fields of a Service turning ExternalName, node ports of one
 * turning ClusterIP, ...). The registry then releases what was dropped.
 */
function prepareServiceUpdate(s: ServiceSpec, o: ServiceSpec): void {
  // Keep allocated values (patchAllocatedValues).
  if (needsClusterIP(o) && needsClusterIP(s)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if ((!s.clusterIPs || s.clusterIPs.length === 0) && o.clusterIPs) s.clusterIPs = [...o.clusterIPs];
  }
  if (needsNodePort(o) && needsNodePort(s)) {
    const byName = new Map((o.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of s.ports ?? []) if (!p.nodePort && byName.get(p.name ?? '')) p.nodePort = byName.get(p.name ?? '');
  }
  if (needsHealthCheckNodePort(o) && needsHealthCheckNodePort(s) && !s.healthCheckNodePort) s.healthCheckNodePort = o.healthCheckNodePort;
  // Keep clusterIPs in step with clusterIP (NormalizeClusterIPs).
  if ((o.clusterIPs?.length ?? 0) > 0 && !s.clusterIPs?.length && o.clusterIP === s.clusterIP) s.clusterIPs = o.clusterIPs;
  if (o.clusterIP !== s.clusterIP) {
    if (o.clusterIP && !s.clusterIP) {
      if (sameStrings(o.clusterIPs, s.clusterIPs)) delete s.clusterIPs;
    } else if (sameStrings(o.clusterIPs, s.clusterIPs) && s.clusterIP) s.clusterIPs = [s.clusterIP];
  }
  // Drop what the new type does not use, unless the update changed it (dropTypeDependentFields).
  if (needsClusterIP(o) && !needsClusterIP(s)) {
    if (o.clusterIP === s.clusterIP && sameStrings(o.clusterIPs, s.clusterIPs)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameStrings(o.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if (o.ipFamilyPolicy === s.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(o) && !needsNodePort(s)) {
    const before = new Set((o.ports ?? []).map((p) => p.nodePort).filter(Boolean));
    if ((s.ports ?? []).every((p) => !p.nodePort || before.has(p.nodePort))) for (const p of s.ports ?? []) delete p.nodePort;
    if (o.externalTrafficPolicy === s.externalTrafficPolicy) delete s.externalTrafficPolicy;
  }
  if (needsHealthCheckNodePort(o) && !needsHealthCheckNodePort(s) && o.healthCheckNodePort === s.healthCheckNodePort)
    delete s.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts)
      delete s.allocateLoadBalancerNodePorts;
    if (s.loadBalancerClass !== undefined && s.loadBalancerClass === o.loadBalancerClass) delete s.loadBalancerClass;
  }
}

/** core/v1 services. */
export const Services: ResourceDefinition<Service> = defineKind<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: { status: true, others: ['proxy'] },
  schema: ServiceSchema,
  description: 'A Service: a stable virtual IP and DNS name load balancing over a set of pods.',
  openAPIName: 'io.k8s.api.core.v1.Service',
  nameRule: 'dns1035Label',
  strategy: {
    default(svc) {
      svc.spec ??= {};
      const s = svc.spec;
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      if (s.sessionAffinity === 'ClientIP') {
        s.sessionAffinityConfig ??= {};
        s.sessionAffinityConfig.clientIP ??= {};
        s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
      }
      for (const p of s.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      if (s.type !== 'ExternalName') s.internalTrafficPolicy ??= 'Cluster';
      if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
      if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
      if (s.clusterIP && !s.clusterIPs) s.clusterIPs = [s.clusterIP];
      svc.status ??= { loadBalancer: {} };
    },
    validate(svc, old) {
      if (old?.spec && svc.spec) prepareServiceUpdate(svc.spec, old.spec);
      const out = validateServiceSpec(svc.spec);
      const s = svc.spec;
      const o = old?.spec;
      if (s && o && o.clusterIP && s.clusterIP !== o.clusterIP && s.type !== 'ExternalName' && o.type !== 'ExternalName') {
        out.push(invalidValue('spec.clusterIPs[0]', s.clusterIPs ?? [s.clusterIP ?? ''], 'may not change once set'));
      }
      return out;
    },
    statusFields: ['status'],
    selectableFields: { 'spec.clusterIP': (s) => s.spec?.clusterIP ?? '', 'spec.type': (s) => s.spec?.type ?? '' },
  },
  printerColumns: [
    column('Type', 'string', 'The type of the service.', (o) => (o as Service).spec?.type ?? 'ClusterIP'),
    column('Cluster-IP', 'string', 'The cluster IP of the service.', (o) => (o as Service).spec?.clusterIP || '<none>'),
    column('External-IP', 'string', 'External IPs of the service.', (o) => externalIP(o as Service)),
    column('Port(s)', 'string', 'Ports of the service.', (o) => portsCell(o as Service)),
    AGE_COLUMN,
    column('Selector', 'string', 'The label selector of the service.', (o) => labelsString((o as Service).spec?.selector), 1),
  ],
});
