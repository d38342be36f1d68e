import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../util/mutable.js';
import { validateObject } from '../validation/validate-object.js';
import { PersistentVolumeClaims, PersistentVolumes, type PersistentVolumeClaim } from './persistentvolume.kind.js';
import { ReplicationControllers, type ReplicationController } from './replicationcontroller.kind.js';
import { LimitRanges, ResourceQuotas } from './resourcequota.kind.js';

const msgs = (r: { causes: { field?: string; message?: string }[] }) => r.causes.map((c) => `${c.field}: ${c.message}`);

describe('PersistentVolume and PersistentVolumeClaim', () => {
  it('default a volume and require capacity, access modes and a source', () => {
    const { object } = validateObject(PersistentVolumes, {
      metadata: { name: 'pv1' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } },
    } as never);
    expect([object.spec!.persistentVolumeReclaimPolicy, object.spec!.volumeMode, object.status!.phase]).toEqual([
      'Retain',
      'Filesystem',
      'Pending',
    ]);
    expect(msgs(validateObject(PersistentVolumes, { metadata: { name: 'pv2' }, spec: {} } as never))).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec: Required value: must specify a volume type',
    ]);
    expect(PersistentVolumes.printerColumns!.slice(0, 2).map((c) => c.value!(object, 0))).toEqual(['1Gi', 'RWO']);
  });

  it('let a bound claim grow but not shrink, and freeze the rest of its spec', () => {
    const pvc: PersistentVolumeClaim = {
      metadata: { name: 'c', namespace: 'd' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    const created = validateObject(PersistentVolumeClaims, pvc).object;
    expect(created.status!.phase).toBe('Pending');
    const bound = deepFreeze({ ...structuredClone(created), status: { phase: 'Bound' as const } });
    const grow = structuredClone(bound) as PersistentVolumeClaim;
    grow.spec!.resources!.requests!.storage = '2Gi';
    expect(validateObject(PersistentVolumeClaims, grow, { old: bound }).causes).toEqual([]);
    const shrink = structuredClone(bound) as PersistentVolumeClaim;
    shrink.spec!.resources!.requests!.storage = '512Mi';
    expect(msgs(validateObject(PersistentVolumeClaims, shrink, { old: bound }))).toEqual([
      'spec.resources.requests.storage: Forbidden: field can not be less than previous value',
    ]);
    const modes = structuredClone(bound) as PersistentVolumeClaim;
    modes.spec!.accessModes = ['ReadWriteMany'];
    expect(msgs(validateObject(PersistentVolumeClaims, modes, { old: bound }))).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });
});

describe('ReplicationController', () => {
  it('defaults its selector and labels from the template', () => {
    const rc: ReplicationController = {
      metadata: { name: 'rc', namespace: 'd' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
    };
    const { object, causes } = validateObject(ReplicationControllers, rc);
    expect(causes).toEqual([]);
    expect(object.spec!.selector).toEqual({ app: 'web' });
    expect(object.metadata.labels).toEqual({ app: 'web' });
    expect(object.spec!.replicas).toBe(1);
  });
});

describe('ResourceQuota and LimitRange', () => {
  it('check quantities', () => {
    expect(
      msgs(validateObject(ResourceQuotas, { metadata: { name: 'q', namespace: 'd' }, spec: { hard: { cpu: 'lots' } } } as never)),
    ).toEqual([
      'spec.hard[cpu]: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    ]);
    expect(
      msgs(validateObject(ResourceQuotas, { metadata: { name: 'q', namespace: 'd' }, spec: { hard: { pods: '-1' } } } as never)),
    ).toEqual(['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0']);
    expect(
      validateObject(ResourceQuotas, {
        metadata: { name: 'q', namespace: 'd' },
        spec: { hard: { pods: '10', 'requests.cpu': '4' } },
      } as never).causes,
    ).toEqual([]);
    expect(
      msgs(
        validateObject(LimitRanges, {
          metadata: { name: 'l', namespace: 'd' },
          spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] },
        } as never),
      ),
    ).toEqual(['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1']);
  });

  it('print quota usage', () => {
    const q = {
      metadata: { name: 'q' },
      spec: { hard: { pods: '10', 'limits.cpu': '2' } },
      status: { hard: { pods: '10', 'limits.cpu': '2' }, used: { pods: '3' } },
    };
    expect(ResourceQuotas.printerColumns!.slice(1).map((c) => c.value!(q as never, 0))).toEqual(['pods: 3/10', 'limits.cpu: 0/2']);
  });
});
