/**
 * discovery.k8s.io/v1 EndpointSlice: a slice of the endpoints of a Service.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, field, int32, obj, oneOf, reqStr, str, strMap, strSet } from '../schema/fields.js';
import { ObjectReferenceSchema } from '../core/endpoints.kind.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, requiredValue, tooMany } from '../validation/field-errors.js';
import { isDNS1123Subdomain, isValidIP, isValidPortNum } from '../validation/name-rules.js';

const EndpointSchema = obj(
  {
    addresses: strSet("Addresses of the endpoint (1 to 100), of the slice's address type.")
      .unwrap()
      .meta({ description: "Addresses of the endpoint (1 to 100), of the slice's address type.", 'x-kubernetes-list-type': 'set' }),
    conditions: field(
      obj(
        { ready: bool('Ready to receive traffic.'), serving: bool('Serving, even while terminating.'), terminating: bool('Terminating.') },
        'Conditions of an endpoint.',
      ),
      'Conditions of the endpoint.',
    ),
    hostname: str('Hostname of the endpoint (a DNS label).'),
    targetRef: field(ObjectReferenceSchema, 'The object (usually a pod) providing the endpoint.'),
    deprecatedTopology: strMap('Deprecated topology labels.'),
    nodeName: str('Node hosting the endpoint.'),
    zone: str('Zone of the endpoint.'),
    hints: field(
      obj(
        {
          forZones: atomicList(obj({ name: reqStr('Zone name.') }, 'A zone.'), 'Zones that should consume the endpoint.'),
          forNodes: atomicList(obj({ name: reqStr('Node name.') }, 'A node.'), 'Nodes that should consume the endpoint.'),
        },
        'Topology hints.',
      ),
      'Hints for topology-aware routing.',
    ),
  },
  'One endpoint of a slice.',
);

const EndpointPortSchema = obj(
  {
    name: str('Name of the port; matches the service port name.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'Protocol; TCP when unset.'),
    port: int32('Port number; unset means all ports.'),
    appProtocol: str('Application protocol.'),
  },
  'A port of the endpoints of a slice.',
);

/** The schema of an EndpointSlice. */
export const EndpointSliceSchema = objectSchema('An EndpointSlice: a subset of the endpoints implementing a Service.', {
  addressType: oneOf(['IPv4', 'IPv6', 'FQDN'], 'Type of the addresses: IPv4, IPv6 or FQDN. Cannot change.')
    .unwrap()
    .meta({ description: 'Type of the addresses: IPv4, IPv6 or FQDN. Cannot change.' }),
  endpoints: atomicList(EndpointSchema, 'Endpoints of the slice (at most 1000).')
    .unwrap()
    .meta({ description: 'Endpoints of the slice (at most 1000).', 'x-kubernetes-list-type': 'atomic' }),
  ports: atomicList(EndpointPortSchema, 'Ports every endpoint of the slice serves (at most 100).'),
});

/** An EndpointSlice. */
export type EndpointSlice = z.infer<typeof EndpointSliceSchema> & KubeObject;

/** discovery.k8s.io/v1 endpointslices. */
export const EndpointSlices: ResourceDefinition<EndpointSlice> = defineKind<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
  schema: EndpointSliceSchema,
  description: 'An EndpointSlice: a subset of the endpoints implementing a Service.',
  openAPIName: 'io.k8s.api.discovery.v1.EndpointSlice',
  strategy: {
    tracksGeneration: true,
    default(s) {
      for (const p of s.ports ?? []) p.protocol ??= 'TCP';
    },
    validate(s) {
      const out: StatusCause[] = [];
      if (s.endpoints.length > 1000) out.push(tooMany('endpoints', s.endpoints.length, 1000));
      if ((s.ports ?? []).length > 100) out.push(tooMany('ports', (s.ports ?? []).length, 100));
      s.endpoints.forEach((e, i) => {
        const p = `endpoints[${i}]`;
        if (e.addresses.length === 0) out.push(requiredValue(`${p}.addresses`, 'must contain at least 1 address'));
        if (e.addresses.length > 100) out.push(tooMany(`${p}.addresses`, e.addresses.length, 100));
        e.addresses.forEach((a, j) => {
          const errs = s.addressType === 'FQDN' ? isDNS1123Subdomain(a) : isValidIP(a);
          for (const m of errs) out.push(invalidValue(`${p}.addresses[${j}]`, a, m));
          if (s.addressType === 'IPv4' && a.includes(':')) out.push(invalidValue(`${p}.addresses[${j}]`, a, 'must be an IPv4 address'));
          if (s.addressType === 'IPv6' && !a.includes(':')) out.push(invalidValue(`${p}.addresses[${j}]`, a, 'must be an IPv6 address'));
        });
      });
      (s.ports ?? []).forEach((port, i) => {
        if (port.port !== undefined) for (const m of isValidPortNum(port.port)) out.push(invalidValue(`ports[${i}].port`, port.port, m));
      });
      return out;
    },
    immutableFields: ['addressType'],
  },
  printerColumns: [
    column('AddressType', 'string', 'Type of the addresses.', (o) => (o as EndpointSlice).addressType),
    column('Ports', 'string', 'Ports of the slice.', (o) => {
      const ports = (o as EndpointSlice).ports ?? [];
      return ports.length ? ports.map((p) => (p.port === undefined ? '<unset>' : String(p.port))).join(',') : '<unset>';
    }),
    column('Endpoints', 'string', 'Addresses of the endpoints, at most three shown.', (o) => {
      const all = ((o as EndpointSlice).endpoints ?? []).flatMap((e) => e.addresses);
      if (all.length === 0) return '<unset>';
      return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
    }),
    AGE_COLUMN,
  ],
});
