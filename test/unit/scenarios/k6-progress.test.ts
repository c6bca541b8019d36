import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProgress, K6ProgressParser, parseK6Duration } from '../../../scripts/clients/k6-progress.ts';
import { describeK6Exit, k6Environment, k6RunArgs } from '../../../scripts/clients/k6.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8').split('\n');

describe('k6 progress', () => {
  it('parses k6 durations', () => {
    expect(parseK6Duration('01.0s')).toBe(1);
    expect(parseK6Duration('1m05.5s')).toBe(65.5);
    expect(parseK6Duration('1h2m3s')).toBe(3723);
    expect(parseK6Duration('35s')).toBe(35);
    expect(parseK6Duration('')).toBeNaN();
    expect(parseK6Duration('soon')).toBeNaN();
  });

  it("keeps the newest block of k6's real non-terminal output", () => {
    const parser = new K6ProgressParser();
    for (const line of fixture('k6-stdout-constant-vus.txt')) parser.feed(line);
    const p = parser.current!;
    expect(p.plannedSec).toBe(35);
    expect(p.elapsedSec).toBe(5);
    expect(p.completeIterations).toBe(10);
    expect(p.scenarios.get('default')).toBe(100);
    expect(formatProgress(p)).toBe('k6 5s/35s · VUs 0/2 · iterations 10 done, 0 interrupted · default 100%');
  });

  it('says what it could not parse rather than inventing it', () => {
    const parser = new K6ProgressParser();
    expect(parser.feed('time="..." level=warn msg="Request Failed"')).toBe(false);
    expect(parser.current).toBeUndefined();
  });
});

describe('k6 command line', () => {
  it('passes only PATH/HOME-like variables through, then the caller env and the summary path', () => {
    const env = k6Environment({ GOMEET_PLAN: '{}' }, '/tmp/s.json', { PATH: '/bin', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'x', PGPASSWORD: 'y' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', GOMEET_PLAN: '{}', GOMEET_SUMMARY_PATH: '/tmp/s.json' });
  });

  it('always disables the usage report and puts the script last', () => {
    expect(k6RunArgs('/x/api.js', ['--execution-segment', '0:1/2'])).toEqual(['run', '--no-usage-report', '--execution-segment', '0:1/2', '/x/api.js']);
  });

  it('names the exit codes the verdict cares about', () => {
    expect(describeK6Exit(99)).toBe('thresholds crossed');
    expect(describeK6Exit(105)).toBe('aborted by a signal');
    expect(describeK6Exit(107)).toBe('script exception');
    expect(describeK6Exit(null)).toBe('killed by a signal');
    expect(describeK6Exit(42)).toBe('unknown exit code 42');
  });
});
