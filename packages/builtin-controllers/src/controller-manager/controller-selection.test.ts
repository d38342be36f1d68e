import { describe, expect, it } from 'vitest';
import { parseControllersFlag, selectControllers } from './controller-selection.js';

const table = [
  { name: 'garbage-collector-controller', aliases: ['garbagecollector'] },
  { name: 'namespace-controller', aliases: ['namespace'] },
  { name: 'deployment-controller', aliases: ['deployment'] },
  { name: 'token-cleaner-controller', aliases: ['tokencleaner'], disabledByDefault: true },
];

describe('selectControllers', () => {
  it('turns on every controller on by default with *', () => {
    expect(selectControllers(['*'], table).enabled).toEqual([
      'garbage-collector-controller',
      'namespace-controller',
      'deployment-controller',
    ]);
  });

  it('turns one off with -name after *', () => {
    expect(selectControllers(parseControllersFlag('*,-garbage-collector-controller'), table).enabled).toEqual([
      'namespace-controller',
      'deployment-controller',
    ]);
  });

  it('runs only the named controllers without *', () => {
    expect(selectControllers(parseControllersFlag('deployment-controller,namespace-controller'), table).enabled).toEqual([
      'namespace-controller',
      'deployment-controller',
    ]);
  });

  it('accepts the old short names as aliases', () => {
    expect(selectControllers(['garbagecollector', 'namespace'], table).enabled).toEqual([
      'garbage-collector-controller',
      'namespace-controller',
    ]);
    expect(selectControllers(['*', '-deployment'], table).enabled).toEqual(['garbage-collector-controller', 'namespace-controller']);
  });

  it('lets the first item naming a controller decide', () => {
    expect(selectControllers(['-namespace', 'namespace', '*'], table).enabled).toEqual([
      'garbage-collector-controller',
      'deployment-controller',
    ]);
  });

  it('starts a controller disabled by default only when named', () => {
    expect(selectControllers(['*'], table).enabled).not.toContain('token-cleaner-controller');
    expect(selectControllers(['*', 'tokencleaner'], table).enabled).toContain('token-cleaner-controller');
  });

  it('reports Kubernetes controllers Converge does not implement, and refuses unknown names', () => {
    expect(selectControllers(['*', 'cronjob-controller'], table).notImplemented).toEqual(['cronjob-controller']);
    expect(() => selectControllers(['frobnicator'], table)).toThrow(/"frobnicator" is not in the list of known controllers/);
  });
});
