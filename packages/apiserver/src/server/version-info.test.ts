import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildInfo, versionInfo } from './version-info.js';

describe('versionInfo', () => {
  it('says Kubernetes 1.32 and names the Converge version', () => {
    const v = versionInfo('1.2.3');
    expect(v).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0+converge.1.2.3', compiler: 'tsc' });
  });

  it('takes the commit and its date from git in a checkout, never the Unix epoch', () => {
    const v = versionInfo();
    expect(v.buildDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(v.buildDate.startsWith('1970')).toBe(false);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
    expect(v.gitCommit).toBe(head);
    expect(['clean', 'dirty']).toContain(v.gitTreeState);
    expect(buildInfo()).toBe(buildInfo());
  });

  it('uses the build it is given', () => {
    const v = versionInfo('0.1.0', { gitCommit: 'abc', gitTreeState: 'dirty', buildDate: '2024-05-01T12:00:00Z' });
    expect(v).toMatchObject({ gitCommit: 'abc', gitTreeState: 'dirty', buildDate: '2024-05-01T12:00:00Z' });
  });
});
