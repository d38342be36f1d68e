import { describe, expect, it } from 'vitest';
import { wantedEndpoints } from './kubernetes-service.reconciler.js';

const self = { address: '127.0.0.9', port: 9999 };

describe('wantedEndpoints', () => {
  it('lists every live server sorted, whatever order the directory gave, and each address once', () => {
    const w = wantedEndpoints(
      [
        { id: 'x', address: '127.0.0.3', port: 6443 },
        { id: 'y', address: '127.0.0.2', port: 6443 },
        { id: 'z', address: '127.0.0.3', port: 6443 },
      ],
      self,
    );
    expect(w).toEqual({
      port: 6443,
      subsets: [{ addresses: [{ ip: '127.0.0.2' }, { ip: '127.0.0.3' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
      addressType: 'IPv4',
      sliceAddresses: ['127.0.0.2', '127.0.0.3'],
    });
  });

  it('gives servers on different ports one Endpoints subset each, and the Service and slice the lowest port', () => {
    const w = wantedEndpoints(
      [
        { id: 'a', address: '127.0.0.1', port: 7443 },
        { id: 'b', address: '127.0.0.1', port: 6443 },
      ],
      self,
    );
    expect(w.port).toBe(6443);
    expect(w.subsets.map((s) => [s.addresses.map((a) => a.ip), s.ports[0]!.port])).toEqual([
      [['127.0.0.1'], 6443],
      [['127.0.0.1'], 7443],
    ]);
    expect(w.sliceAddresses).toEqual(['127.0.0.1']);
  });

  it('falls back to this server alone when the directory lists none', () => {
    expect(wantedEndpoints([], self)).toMatchObject({ port: 9999, sliceAddresses: ['127.0.0.9'] });
  });
});
