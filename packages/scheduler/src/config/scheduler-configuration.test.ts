import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../framework/plugin.decorator.js';
import { FakeFit, RejectByLabel, ScoreByLabel } from '../scheduler.fixture.js';
import { defaultSchedulerConfiguration, parseSchedulerConfiguration } from './scheduler-configuration.js';

const registry = () => new PluginRegistry([FakeFit, RejectByLabel, ScoreByLabel]);

describe('scheduler configuration', () => {
  it('defaults to one default-scheduler profile with the registered default plugins only', () => {
    const cfg = defaultSchedulerConfiguration({ registry: registry() });
    expect(cfg.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
    expect(cfg.profiles[0]!.multiPoint.map((p) => p.name)).toEqual(['DefaultBinder']);
    expect(cfg).toMatchObject({ percentageOfNodesToScore: 0, podInitialBackoffMs: 1000, podMaxBackoffMs: 10_000 });
  });

  it('reads profiles, weights, disabled plugins and args from YAML', () => {
    const cfg = parseSchedulerConfiguration(
      `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
  - schedulerName: default-scheduler
    plugins:
      multiPoint:
        enabled: [{ name: FakeFit }, { name: ScoreByLabel, weight: 5 }]
      filter:
        disabled: [{ name: FakeFit }]
    pluginConfig:
      - name: FakeFit
        args: { scoringStrategy: { type: MostAllocated } }
  - schedulerName: other
    plugins:
      multiPoint:
        disabled: [{ name: '*' }]
        enabled: [{ name: RejectByLabel }, { name: DefaultBinder }]
`,
      { registry: registry() },
    );
    expect(cfg).toMatchObject({ percentageOfNodesToScore: 30, podInitialBackoffMs: 2000, podMaxBackoffMs: 20_000 });
    const [def, other] = cfg.profiles;
    expect(def!.multiPoint).toEqual([{ name: 'DefaultBinder' }, { name: 'FakeFit' }, { name: 'ScoreByLabel', weight: 5 }]);
    expect(def!.points?.filter).toEqual({ enabled: [], disabled: ['FakeFit'] });
    expect(def!.pluginArgs).toEqual({ FakeFit: { scoringStrategy: { type: 'MostAllocated' } } });
    expect(other!.multiPoint.map((p) => p.name)).toEqual(['RejectByLabel', 'DefaultBinder']);
  });

  it('names an unknown plugin in a user file', () => {
    expect(() =>
      parseSchedulerConfiguration(
        '{"apiVersion":"kubescheduler.config.k8s.io/v1","kind":"KubeSchedulerConfiguration","profiles":[{"plugins":{"score":{"enabled":[{"name":"Nope"}]}}}]}',
        { registry: registry(), source: 'sched.json' },
      ),
    ).toThrow(/sched\.json: profiles\[0\] \(default-scheduler\): plugins\.score\.enabled: plugin "Nope" is not registered/);
  });

  it('explains invalid fields, bad YAML and duplicate profiles', () => {
    const parse = (text: string) => () => parseSchedulerConfiguration(text, { registry: registry(), source: 'f.yaml' });
    expect(parse('apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 150')).toThrow(
      /invalid f\.yaml: percentageOfNodesToScore: /,
    );
    expect(parse('apiVersion: v1beta9\nkind: KubeSchedulerConfiguration')).toThrow(/apiVersion/);
    expect(parse('a: [')).toThrow(/f\.yaml: not valid YAML or JSON/);
    expect(parse('apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: [{ plugin: {} }]')).toThrow(
      /profiles\.0: Unrecognized key/,
    );
    expect(parse('apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: [{}, {}]')).toThrow(
      /duplicate "default-scheduler"/,
    );
    expect(
      parse(
        'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npodInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2',
      ),
    ).toThrow(/podMaxBackoffSeconds \(2\) must be at least podInitialBackoffSeconds \(5\)/);
  });
});
