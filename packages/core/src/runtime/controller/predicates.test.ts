import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { InformerEvent } from '../informer/types.js';
import {
  and,
  annotationsChanged,
  generationChanged,
  labelsChanged,
  not,
  objectMatches,
  or,
  predicateFuncs,
  resourceVersionChanged,
} from './predicates.js';

const obj = (meta: Partial<KubeObject['metadata']>): KubeObject => ({ metadata: { namespace: 'ns', name: 'a', ...meta } });
const update = (old: Partial<KubeObject['metadata']>, now: Partial<KubeObject['metadata']>): InformerEvent => ({
  type: 'update',
  old: obj(old),
  object: obj(now),
});
const add: InformerEvent = { type: 'add', object: obj({}) };
const del: InformerEvent = { type: 'delete', object: obj({}) };

describe('predicates', () => {
  it('generationChanged passes updates that changed the generation, and every add and delete', () => {
    expect(generationChanged(update({ generation: 1 }, { generation: 2 }))).toBe(true);
    expect(generationChanged(update({ generation: 2, resourceVersion: '1' }, { generation: 2, resourceVersion: '2' }))).toBe(false);
    expect(generationChanged(add)).toBe(true);
    expect(generationChanged(del)).toBe(true);
  });

  it('labelsChanged and annotationsChanged compare the maps by content', () => {
    expect(labelsChanged(update({ labels: { a: '1' } }, { labels: { a: '1' } }))).toBe(false);
    expect(labelsChanged(update({ labels: { a: '1' } }, { labels: { a: '2' } }))).toBe(true);
    expect(labelsChanged(update({}, { labels: { a: '1' } }))).toBe(true);
    expect(labelsChanged(update({ labels: { a: '1' } }, { labels: { b: '1' } }))).toBe(true);
    expect(labelsChanged(update({}, {}))).toBe(false);
    expect(annotationsChanged(update({ annotations: { x: 'y' } }, { annotations: { x: 'y' } }))).toBe(false);
    expect(annotationsChanged(update({ annotations: { x: 'y' } }, {}))).toBe(true);
  });

  it('resourceVersionChanged drops re-deliveries of the same version', () => {
    expect(resourceVersionChanged(update({ resourceVersion: '5' }, { resourceVersion: '5' }))).toBe(false);
    expect(resourceVersionChanged(update({ resourceVersion: '5' }, { resourceVersion: '6' }))).toBe(true);
  });

  it('composes with and, or and not', () => {
    const labelsOnly = update({ generation: 1, labels: { a: '1' } }, { generation: 1, labels: { a: '2' } });
    expect(or(generationChanged, labelsChanged)(labelsOnly)).toBe(true);
    expect(and(generationChanged, labelsChanged)(labelsOnly)).toBe(false);
    expect(not(generationChanged)(labelsOnly)).toBe(true);
    expect(and()(labelsOnly)).toBe(true);
    expect(or()(labelsOnly)).toBe(false);
  });

  it('builds custom predicates per event type', () => {
    const p = predicateFuncs({ add: (_o, initial) => !initial, delete: () => false });
    expect(p({ type: 'add', object: obj({}), initial: true })).toBe(false);
    expect(p(add)).toBe(true);
    expect(p(del)).toBe(false);
    expect(p(update({}, {}))).toBe(true);
    expect(objectMatches((o) => o.metadata.labels?.app === 'web')(update({}, { labels: { app: 'web' } }))).toBe(true);
  });
});
