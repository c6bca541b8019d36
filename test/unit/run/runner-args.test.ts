import { describe, expect, it } from 'vitest';
import { influxOut, runnerArgs } from '../../../scripts/run/load/runner-args.ts';

const store = { url: 'http://127.0.0.1:18086/', database: 'k6' };

describe('runner args', () => {
  it('a runner of a global run: its segment, the store, run and runner tags, no thresholds, paused on its REST address', () => {
    const args = runnerArgs({ index: 2, count: 4, runId: 'r1', store, restAddress: '127.0.0.1:40001' });
    expect(args).toEqual([
      '--execution-segment=2/4:3/4',
      '--execution-segment-sequence=0,1/4,2/4,3/4,1',
      '--tag',
      'run_id=r1',
      '--tag',
      'runner=2',
      '--out',
      'influxdb=http://127.0.0.1:18086/k6',
      '--no-thresholds',
      '--address',
      '127.0.0.1:40001',
      '--paused',
    ]);
  });

  it('a single runner without a store keeps its own thresholds (its slice is the whole run)', () => {
    const args = runnerArgs({ index: 0, count: 1, runId: 'r1' });
    expect(args).not.toContain('--no-thresholds');
    expect(args.some((a) => a.startsWith('--execution-segment'))).toBe(false);
    expect(args).toEqual(['--tag', 'run_id=r1', '--tag', 'runner=0']);
  });

  it('a bench can turn thresholds off without a store', () => {
    expect(runnerArgs({ index: 0, count: 2, runId: 'r', thresholds: 'none' })).toContain('--no-thresholds');
  });

  it('profiling is served only where there is a REST API to serve it on', () => {
    expect(runnerArgs({ index: 0, count: 1, runId: 'r', restAddress: '127.0.0.1:40001', profiling: true })).toContain('--profiling-enabled');
    expect(runnerArgs({ index: 0, count: 1, runId: 'r', profiling: true })).not.toContain('--profiling-enabled');
    expect(runnerArgs({ index: 0, count: 1, runId: 'r', restAddress: '127.0.0.1:40001' })).not.toContain('--profiling-enabled');
  });

  it('influxOut trims a trailing slash', () => {
    expect(influxOut(store)).toBe('influxdb=http://127.0.0.1:18086/k6');
  });
});
