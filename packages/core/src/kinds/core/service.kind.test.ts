import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { Services, type Service } from './service.kind.js';

const svc = (spec: NonNullable<Service['spec']>, name = 'web'): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});
const causesOf = (s: Service, old?: Service) =>
  validateObject(Services, s, old ? { old } : {}).causes.map((c) => `${c.field}: ${c.message}`);

describe('Service', () => {
  it('defaults type, session affinity, protocol, target port and traffic policies', () => {
    const { object, causes } = validateObject(Services, svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    const np = validateObject(Services, svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] })).object;
    expect(np.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] });
  });

  it('uses DNS-1035 labels for names', () => {
    expect(causesOf(svc({ ports: [{ port: 80 }] }, '1web'))[0]).toMatch(/^metadata\.name: Invalid value: "1web": a DNS-1035 label/);
  });

  it('checks ports: required, named when several, in range, node ports only where allowed', () => {
    expect(causesOf(svc({}))).toEqual(['spec.ports: Required value']);
    expect(causesOf(svc({ clusterIP: 'None' }))).toEqual([]);
    expect(causesOf(svc({ ports: [{ port: 80, name: 'a' }, { port: 81 }] }))).toEqual(['spec.ports[1].name: Required value']);
    expect(causesOf(svc({ ports: [{ port: 70000, targetPort: 8080 }] }))).toEqual([
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(causesOf(svc({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
  });

  it('requires externalName for ExternalName services', () => {
    expect(causesOf(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
  });

  it('keeps an allocated clusterIP and refuses to change it', () => {
    const old = deepFreeze(validateObject(Services, svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' })).object);
    const omit = structuredClone(old) as Service;
    delete omit.spec!.clusterIP;
    delete omit.spec!.clusterIPs;
    const r = validateObject(Services, omit, { old });
    expect(r.causes).toEqual([]);
    expect(r.object.spec!.clusterIP).toBe('10.96.0.10');
    const change = structuredClone(old) as Service;
    change.spec!.clusterIP = '10.96.0.11';
    change.spec!.clusterIPs = ['10.96.0.11'];
    expect(causesOf(change, old)).toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  });

  it('prints TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S)', () => {
    const s = svc({
      type: 'LoadBalancer',
      clusterIP: '10.0.0.1',
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
      selector: { app: 'web' },
    });
    const cells = Services.printerColumns!.map((c) => c.value!(s, 0));
    expect(cells).toEqual(['LoadBalancer', '10.0.0.1', '<pending>', '80:30080/TCP,53/UDP', '<unknown>', 'app=web']);
  });
});
