import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue-token.js';

describe('continue tokens', () => {
  it('round-trip the revision and start key', () => {
    const token = encodeContinue({ revision: 42, start: 'ns/name' });
    expect(decodeContinue(token)).toEqual({ revision: 42, start: 'ns/name' });
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'ns/name' });
  });

  it('reject tokens that are not ours with BadRequest', () => {
    const bad = [
      'garbage',
      Buffer.from('{"v":"other","rv":1,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":"1","start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"../x"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"/abs"}').toString('base64url'),
    ];
    for (const t of bad) expect(() => decodeContinue(t), t).toThrow(expect.objectContaining({ reason: 'BadRequest' }));
  });
});
