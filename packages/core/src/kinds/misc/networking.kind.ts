/**
 * networking.k8s.io/v1: Ingress, IngressClass and NetworkPolicy.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, field, int32, intOrString, obj, oneOf, reqInt32, reqStr, str, strList } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column, selectorString } from '../printers.js';
import { forbiddenField, invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../validation/name-rules.js';
import { validateLabelSelector } from '../validation/object-meta.validation.js';

const TypedLocalObjectReferenceSchema = obj(
  {
    apiGroup: str('API group of the referent; core when unset.'),
    kind: reqStr('Kind of the referent.'),
    name: reqStr('Name of the referent.'),
  },
  'A reference to an object of the same namespace.',
);

const IngressBackendSchema = obj(
  {
    service: field(
      obj(
        {
          name: reqStr('Name of the Service.'),
          port: field(
            obj(
              { name: str('Name of the service port.'), number: int32('Number of the service port.') },
              'A port of a Service, by name or number.',
            ),
            'The service port.',
          ),
        },
        'A Service backend.',
      ),
      'Route to a Service.',
    ),
    resource: field(TypedLocalObjectReferenceSchema, 'Route to another object (e.g. a storage bucket); exclusive with service.'),
  },
  'Where matching traffic goes.',
);

const IngressLoadBalancerSchema = obj(
  {
    ingress: atomicList(
      obj(
        {
          ip: str('IP of the load balancer.'),
          hostname: str('Hostname of the load balancer.'),
          ports: atomicList(
            obj({ port: reqInt32('Port.'), protocol: str('Protocol.'), error: str('Error, if any.') }, 'A port status.'),
            'Port statuses.',
          ),
        },
        'An ingress point.',
      ),
      'Ingress points of the load balancer.',
    ),
  },
  'Status of the load balancer of an Ingress.',
);

/** The schema of an Ingress. */
export const IngressSchema = objectSchema('An Ingress: HTTP(S) routes from outside the cluster to Services, by host and path.', {
  spec: field(
    obj(
      {
        ingressClassName: str('IngressClass that implements this Ingress.'),
        defaultBackend: field(IngressBackendSchema, 'Where traffic matching no rule goes.'),
        tls: atomicList(
          obj(
            { hosts: strList('Hosts the certificate covers.'), secretName: str('Secret holding the certificate and key.') },
            'TLS settings for some hosts.',
          ),
          'TLS termination settings.',
        ),
        rules: atomicList(
          obj(
            {
              host: str('Fully qualified domain name (a leading "*." wildcard allowed); all hosts when unset.'),
              http: field(
                obj(
                  {
                    paths: z
                      .array(
                        obj(
                          {
                            path: str('Path to match; must start with "/" for Exact and Prefix.'),
                            pathType: reqStr('Exact, Prefix or ImplementationSpecific.'),
                            backend: IngressBackendSchema.meta({ description: 'Where matching traffic goes.' }),
                          },
                          'A path and the backend serving it.',
                        ),
                      )
                      .meta({ description: 'Paths and their backends.', 'x-kubernetes-list-type': 'atomic' }),
                  },
                  'HTTP routing rules.',
                ),
                'HTTP paths of the host.',
              ),
            },
            'Routes for one host.',
          ),
          'Host rules; traffic matching none goes to the default backend.',
        ),
      },
      'The desired state of an Ingress.',
    ),
    'The routes.',
  ),
  status: field(
    obj({ loadBalancer: field(IngressLoadBalancerSchema, 'The load balancer, if any.') }, 'The observed state of an Ingress.'),
    'The observed state of the Ingress.',
  ),
});

/** An Ingress. */
export type Ingress = z.infer<typeof IngressSchema> & KubeObject;
type IngressBackend = z.infer<typeof IngressBackendSchema>;

function validateBackend(out: StatusCause[], b: IngressBackend, path: string): void {
  if (b.service && b.resource) out.push(invalidValue(path, '', 'cannot set both service and resource backends'));
  else if (!b.service && !b.resource) out.push(invalidValue(path, '', 'one backend (service or resource) must be specified'));
  const port = b.service?.port;
  if (b.service) {
    if (!port) out.push(requiredValue(`${path}.service.port`, 'port name or number is required'));
    else if (port.name && port.number !== undefined)
      out.push(invalidValue(`${path}.service.port`, port, 'cannot set both port name & port number'));
    else if (port.name) for (const e of isValidPortName(port.name)) out.push(invalidValue(`${path}.service.port.name`, port.name, e));
    else if (port.number !== undefined)
      for (const e of isValidPortNum(port.number)) out.push(invalidValue(`${path}.service.port.number`, port.number, e));
    else out.push(requiredValue(`${path}.service.port`, 'port name or number is required'));
  }
}

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

/** networking.k8s.io/v1 ingresses. */
export const Ingresses: ResourceDefinition<Ingress> = defineKind<Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  namespaced: true,
  shortNames: ['ing'],
  subresources: { status: true },
  schema: IngressSchema,
  description: 'An Ingress: HTTP(S) routes from outside the cluster to Services, by host and path.',
  openAPIName: 'io.k8s.api.networking.v1.Ingress',
  strategy: {
    tracksGeneration: true,
    validate(ing) {
      const out: StatusCause[] = [];
      const s = ing.spec ?? {};
      if (!s.defaultBackend && (s.rules ?? []).length === 0)
        out.push(invalidValue('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
      if (s.defaultBackend) validateBackend(out, s.defaultBackend, 'spec.defaultBackend');
      (s.rules ?? []).forEach((r, i) => {
        const p = `spec.rules[${i}]`;
        if (r.host) {
          const host = r.host.startsWith('*.') ? r.host.slice(2) : r.host;
          for (const e of isDNS1123Subdomain(host)) out.push(invalidValue(`${p}.host`, r.host, e));
        }
        (r.http?.paths ?? []).forEach((path, j) => {
          const pp = `${p}.http.paths[${j}]`;
          if (!PATH_TYPES.includes(path.pathType)) out.push(notSupported(`${pp}.pathType`, path.pathType, PATH_TYPES));
          if ((path.pathType === 'Exact' || path.pathType === 'Prefix') && !(path.path ?? '').startsWith('/'))
            out.push(invalidValue(`${pp}.path`, path.path ?? '', 'must be an absolute path'));
          validateBackend(out, path.backend, `${pp}.backend`);
        });
      });
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Class', 'string', 'The IngressClass.', (o) => (o as Ingress).spec?.ingressClassName ?? '<none>'),
    column('Hosts', 'string', 'Hosts of the rules.', (o) => {
      const hosts = ((o as Ingress).spec?.rules ?? []).map((r) => r.host || '*');
      return hosts.length ? [...new Set(hosts)].join(',') : '*';
    }),
    column('Address', 'string', 'Addresses of the load balancer.', (o) =>
      ((o as Ingress).status?.loadBalancer?.ingress ?? [])
        .map((i) => i.ip || i.hostname)
        .filter(Boolean)
        .join(','),
    ),
    column('Ports', 'string', 'Ports served.', (o) => ((o as Ingress).spec?.tls?.length ? '80, 443' : '80')),
    AGE_COLUMN,
  ],
});

/** The schema of an IngressClass. */
export const IngressClassSchema = objectSchema(
  'An IngressClass: names an ingress controller (and its parameters) that Ingresses can select.',
  {
    spec: field(
      obj(
        {
          controller: str('Name of the controller implementing the class, e.g. example.com/ingress-controller. Cannot change.'),
          parameters: field(
            obj(
              {
                apiGroup: str('API group of the parameters object.'),
                kind: reqStr('Kind of the parameters object.'),
                name: reqStr('Name of the parameters object.'),
                scope: oneOf(['Cluster', 'Namespace'], 'Whether the object is cluster-scoped or namespaced.'),
                namespace: str('Namespace of a namespaced parameters object.'),
              },
              'Controller-specific parameters.',
            ),
            'An object with controller-specific configuration.',
          ),
        },
        'The desired state of an IngressClass.',
      ),
      'The controller and its parameters.',
    ),
  },
);

/** An IngressClass. */
export type IngressClass = z.infer<typeof IngressClassSchema> & KubeObject;

/** networking.k8s.io/v1 ingressclasses. */
export const IngressClasses: ResourceDefinition<IngressClass> = defineKind<IngressClass>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  namespaced: false,
  schema: IngressClassSchema,
  description: 'An IngressClass: names an ingress controller (and its parameters) that Ingresses can select.',
  openAPIName: 'io.k8s.api.networking.v1.IngressClass',
  strategy: {
    tracksGeneration: true,
    default(ic) {
      const p = ic.spec?.parameters;
      if (p) p.scope ??= 'Cluster';
    },
    validate(ic) {
      const out: StatusCause[] = [];
      const c = ic.spec?.controller;
      if (c !== undefined && c.length > 250) out.push(invalidValue('spec.controller', c, 'must be no more than 250 characters'));
      const p = ic.spec?.parameters;
      if (p?.scope === 'Cluster' && p.namespace)
        out.push(forbiddenField('spec.parameters.namespace', "`parameters.scope` is set to 'Cluster'"));
      if (p?.scope === 'Namespace' && !p.namespace)
        out.push(requiredValue('spec.parameters.namespace', "`parameters.scope` is set to 'Namespace'"));
      return out;
    },
    immutableFields: ['spec.controller'],
  },
  printerColumns: [
    column('Controller', 'string', 'The controller of the class.', (o) => (o as IngressClass).spec?.controller ?? ''),
    column('Parameters', 'string', 'The parameters object.', (o) => {
      const p = (o as IngressClass).spec?.parameters;
      return p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>';
    }),
    AGE_COLUMN,
  ],
});

const NetworkPolicyPortSchema = obj(
  {
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'Protocol; TCP when unset.'),
    port: intOrString('Port number or named port; all ports when unset.'),
    endPort: int32('End of a port range starting at port.'),
  },
  'A port (or port range) traffic is allowed on.',
);

const NetworkPolicyPeerSchema = obj(
  {
    podSelector: field(LabelSelectorSchema, 'Pods (in the selected namespaces) allowed.'),
    namespaceSelector: field(LabelSelectorSchema, 'Namespaces whose pods are allowed.'),
    ipBlock: field(
      obj({ cidr: reqStr('The allowed CIDR.'), except: strList('CIDRs within it that are not allowed.') }, 'A CIDR range.'),
      'An IP range allowed.',
    ),
  },
  'A set of peers traffic is allowed from or to.',
);

/** The schema of a NetworkPolicy. */
export const NetworkPolicySchema = objectSchema('A NetworkPolicy: which traffic is allowed to and from the selected pods.', {
  spec: field(
    obj(
      {
        podSelector: field(LabelSelectorSchema, 'The pods the policy applies to; an empty selector selects every pod of the namespace.'),
        ingress: atomicList(
          obj(
            {
              ports: atomicList(NetworkPolicyPortSchema, 'Ports allowed; all when empty.'),
              from: atomicList(NetworkPolicyPeerSchema, 'Sources allowed; all when empty.'),
            },
            'An allowed incoming traffic rule.',
          ),
          'Incoming traffic allowed.',
        ),
        egress: atomicList(
          obj(
            {
              ports: atomicList(NetworkPolicyPortSchema, 'Ports allowed; all when empty.'),
              to: atomicList(NetworkPolicyPeerSchema, 'Destinations allowed; all when empty.'),
            },
            'An allowed outgoing traffic rule.',
          ),
          'Outgoing traffic allowed.',
        ),
        policyTypes: strList('Ingress, Egress or both: which directions the policy restricts.'),
      },
      'The desired state of a NetworkPolicy.',
    ),
    'The policy.',
  ),
});

/** A NetworkPolicy. */
export type NetworkPolicy = z.infer<typeof NetworkPolicySchema> & KubeObject;

/** networking.k8s.io/v1 networkpolicies. */
export const NetworkPolicies: ResourceDefinition<NetworkPolicy> = defineKind<NetworkPolicy>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  schema: NetworkPolicySchema,
  description: 'A NetworkPolicy: which traffic is allowed to and from the selected pods.',
  openAPIName: 'io.k8s.api.networking.v1.NetworkPolicy',
  strategy: {
    tracksGeneration: true,
    default(np) {
      np.spec ??= {};
      const s = np.spec;
      s.podSelector ??= {};
      for (const r of [...(s.ingress ?? []), ...(s.egress ?? [])]) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
      if (!s.policyTypes || s.policyTypes.length === 0) s.policyTypes = (s.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    },
    validate(np) {
      const out: StatusCause[] = [];
      const s = np.spec ?? {};
      out.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
      (s.policyTypes ?? []).forEach((t, i) => {
        if (t !== 'Ingress' && t !== 'Egress') out.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
      });
      const rules = [
        ...(s.ingress ?? []).map((r, i) => ({ r: r.from, ports: r.ports, p: `spec.ingress[${i}]`, k: 'from' })),
        ...(s.egress ?? []).map((r, i) => ({ r: r.to, ports: r.ports, p: `spec.egress[${i}]`, k: 'to' })),
      ];
      for (const { r, ports, p, k } of rules) {
        (ports ?? []).forEach((port, j) => {
          if (typeof port.port === 'number')
            for (const e of isValidPortNum(port.port)) out.push(invalidValue(`${p}.ports[${j}].port`, port.port, e));
          if (port.endPort !== undefined && typeof port.port === 'number' && port.endPort < port.port)
            out.push(invalidValue(`${p}.ports[${j}].endPort`, port.endPort, 'must be greater than or equal to `port`'));
        });
        (r ?? []).forEach((peer, j) => {
          const n = (peer.podSelector ? 1 : 0) + (peer.namespaceSelector ? 1 : 0) + (peer.ipBlock ? 1 : 0);
          if (n === 0) out.push(requiredValue(`${p}.${k}[${j}]`, 'must specify a peer'));
          else if (peer.ipBlock && n > 1) out.push(forbiddenField(`${p}.${k}[${j}]`, 'may not specify both ipBlock and another peer'));
        });
      }
      return out;
    },
  },
  printerColumns: [
    column('Pod-Selector', 'string', 'The pods the policy applies to.', (o) => {
      const sel = selectorString((o as NetworkPolicy).spec?.podSelector as never);
      return sel === '<none>' ? '<none>' : sel;
    }),
    AGE_COLUMN,
  ],
});
