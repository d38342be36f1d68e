/**
 * core/v1 Endpoints: the addresses and ports backing a Service (the legacy form of EndpointSlice).
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, field, obj, oneOf, reqInt32, reqStr, str } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';
import { isValidIP, isValidPortNum } from '../validation/name-rules.js';

/** A reference to an object (`core/v1.ObjectReference`). */
export const ObjectReferenceSchema = obj(
  {
    kind: str('Kind of the referent.'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    apiVersion: str('API version of the referent.'),
    resourceVersion: str('Specific resourceVersion referred to.'),
    fieldPath: str('A field within the referent, e.g. spec.containers{app}.'),
  },
  'A reference to an object, possibly to a field of it.',
);

const EndpointAddressSchema = obj(
  {
    ip: reqStr('IP of the endpoint.'),
    hostname: str('Hostname of the endpoint.'),
    nodeName: str('Node hosting the endpoint.'),
    targetRef: field(ObjectReferenceSchema, 'The object (usually a pod) providing the endpoint.'),
  },
  'An address of an endpoint.',
);

const EndpointPortSchema = obj(
  {
    name: str('Name of the port; matches the service port name.'),
    port: reqInt32('Port number.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'Protocol; TCP when unset.'),
    appProtocol: str('Application protocol.'),
  },
  'A port of an endpoint.',
);

const EndpointSubsetSchema = obj(
  {
    addresses: atomicList(EndpointAddressSchema, 'Ready addresses.'),
    notReadyAddresses: atomicList(EndpointAddressSchema, 'Addresses not ready yet.'),
    ports: atomicList(EndpointPortSchema, 'Ports available on every address.'),
  },
  'A set of addresses sharing a set of ports.',
);

/** The schema of Endpoints. */
export const EndpointsSchema = objectSchema('Endpoints: the addresses and ports that implement a Service.', {
  subsets: atomicList(EndpointSubsetSchema, 'Groups of addresses with the ports they serve.'),
});

/** An Endpoints object. */
export type Endpoints = z.infer<typeof EndpointsSchema> & KubeObject;

/** core/v1 endpoints. */
export const Endpoints: ResourceDefinition<Endpoints> = defineKind<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  schema: EndpointsSchema,
  description: 'Endpoints: the addresses and ports that implement a Service.',
  openAPIName: 'io.k8s.api.core.v1.Endpoints',
  strategy: {
    default(ep) {
      for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ??= 'TCP';
    },
    validate(ep) {
      const out: StatusCause[] = [];
      (ep.subsets ?? []).forEach((s, i) => {
        const p = `subsets[${i}]`;
        if ((s.addresses ?? []).length === 0 && (s.notReadyAddresses ?? []).length === 0)
          out.push(requiredValue(`${p}`, 'must specify `addresses` or `notReadyAddresses`'));
        for (const [list, items] of [
          ['addresses', s.addresses],
          ['notReadyAddresses', s.notReadyAddresses],
        ] as const)
          (items ?? []).forEach((a, j) => {
            for (const e of isValidIP(a.ip)) out.push(invalidValue(`${p}.${list}[${j}].ip`, a.ip, e));
          });
        (s.ports ?? []).forEach((port, j) => {
          for (const e of isValidPortNum(port.port)) out.push(invalidValue(`${p}.ports[${j}].port`, port.port, e));
        });
      });
      return out;
    },
  },
  printerColumns: [
    column('Endpoints', 'string', 'Endpoint addresses, at most three shown.', (o) => endpointsCell(o as Endpoints)),
    AGE_COLUMN,
  ],
});

/** The ENDPOINTS cell: `ip:port` pairs, three at most, then `+ N more...`. */
export function endpointsCell(ep: Endpoints): string {
  const all: string[] = [];
  for (const s of ep.subsets ?? []) {
    const ports = s.ports ?? [];
    for (const a of s.addresses ?? []) {
      if (ports.length === 0) all.push(a.ip);
      for (const p of ports) all.push(`${a.ip}:${p.port}`);
    }
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}
