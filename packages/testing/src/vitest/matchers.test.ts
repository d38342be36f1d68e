import { ConfigMaps, Deployments, isNotFound, type ConfigMap, type KubeObject } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { FakeStore } from '../fake-store.js';
import './index.js';

const cm = (name: string, data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

function failure(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

describe('toHaveObject', () => {
  it('passes for a stored object matching a deep partial, and says where it differs', async () => {
    const store = new FakeStore({ objects: [cm('web', { greeting: 'hello', other: 'x' })] });
    await store.ready();
    expect(store).toHaveObject(ConfigMaps, 'default/web');
    expect(store).toHaveObject(ConfigMaps, { namespace: 'default', name: 'web' }, { data: { greeting: 'hello' } });
    expect(store).toHaveObject(ConfigMaps, 'default/web', { metadata: { uid: expect.any(String) } });
    expect(store).not.toHaveObject(ConfigMaps, 'default/nope');
    expect(failure(() => expect(store).toHaveObject(ConfigMaps, 'default/web', { data: { greeting: 'bye' } }))).toMatch(
      /ConfigMap default\/web does not match at data.greeting:\n {2}expected: "bye"\n {2}received: "hello"/,
    );
    expect(failure(() => expect(store).toHaveObject(Deployments, 'default/web'))).toMatch(
      /expected the store to hold Deployment default\/web, but it does not/,
    );
    expect(failure(() => expect(store).not.toHaveObject(ConfigMaps, 'default/web'))).toMatch(
      /expected no ConfigMap default\/web, but the store holds one/,
    );
  });

  it('matches arrays element by element with equal lengths', async () => {
    const store = new FakeStore({ objects: [{ ...cm('a', {}), metadata: { name: 'a', namespace: 'default', finalizers: ['x', 'y'] } }] });
    await store.ready();
    expect(store).toHaveObject(ConfigMaps, 'default/a', { metadata: { finalizers: ['x', 'y'] } });
    expect(failure(() => expect(store).toHaveObject(ConfigMaps, 'default/a', { metadata: { finalizers: ['x'] } }))).toMatch(
      /at metadata.finalizers/,
    );
  });
});

describe('toContainAction', () => {
  it('finds actions by verb, kind, key, body and outcome, and lists them when it does not', async () => {
    const store = new FakeStore();
    await store.create(ConfigMaps, cm('a', { k: 'v' }));
    await store.get(ConfigMaps, { namespace: 'default', name: 'b' }).catch(() => undefined);
    expect(store).toContainAction({ verb: 'create', resource: 'configmaps' });
    expect(store.actions()).toContainAction({ verb: 'create', kind: 'ConfigMap', name: 'a', object: { data: { k: 'v' } } });
    expect(store).toContainAction({ verb: 'get', name: 'b', failed: 'NotFound' });
    expect(store).toContainAction({ verb: 'create', failed: false });
    expect(store).not.toContainAction({ verb: 'delete' });
    const message = failure(() => expect(store).toContainAction({ verb: 'create', object: { data: { k: 'other' } } }));
    expect(message).toMatch(/expected an action \{ verb: create \} with object/);
    expect(message).toMatch(/1 action\(s\) match the verb\/kind\/key but not the body or outcome/);
    expect(message).toMatch(/recorded actions:\n {2}create configmaps default\/a\n {2}get configmaps default\/b ✗ NotFound/);
    expect(isNotFound(store.actions()[1]!.error)).toBe(true);
  });

  it('accepts a ReconcileRun-like object with an actions array', async () => {
    const store = new FakeStore();
    await store.list(ConfigMaps);
    expect({ actions: store.actions() }).toContainAction({ verb: 'list' });
  });
});

describe('object matchers', () => {
  const obj: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'App',
    metadata: {
      name: 'web',
      namespace: 'default',
      finalizers: ['example.com/cleanup'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1', controller: true }],
    },
    status: {
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Progressing', message: 'waiting', lastTransitionTime: '2024-01-01T00:00:00Z' },
      ],
    },
  };

  it('toHaveCondition checks a condition by type, status or partial', () => {
    expect(obj).toHaveCondition('Ready');
    expect(obj).toHaveCondition('Ready', 'False');
    expect(obj).toHaveCondition('Ready', { status: 'False', reason: 'Progressing' });
    expect(obj).not.toHaveCondition('Available');
    expect(failure(() => expect(obj).toHaveCondition('Ready', 'True'))).toMatch(
      /condition Ready of App default\/web does not match at status/,
    );
    expect(failure(() => expect(obj).toHaveCondition('Available'))).toMatch(/it has conditions Ready=False \(Progressing\)/);
  });

  it('toHaveFinalizer and toBeOwnedBy read metadata', () => {
    expect(obj).toHaveFinalizer('example.com/cleanup');
    expect(obj).not.toHaveFinalizer('other');
    const owner = { apiVersion: 'v1', kind: 'X', metadata: { name: 'o', uid: 'u1' } };
    expect(obj).toBeOwnedBy(owner, { controller: true });
    expect(obj).not.toBeOwnedBy({ ...owner, metadata: { name: 'o', uid: 'u2' } });
    expect(failure(() => expect(obj).toBeOwnedBy({ ...owner, metadata: { name: 'p', uid: 'u9' } }))).toMatch(
      /owner references X\/o \(uid u1, controller\)/,
    );
  });
});
