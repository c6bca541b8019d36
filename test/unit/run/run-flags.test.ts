import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE, DEFAULT_RUNNER_IMAGE, parseRunFlags } from '../../../scripts/run/options.ts';

describe('run flags for runners, plan and cluster', () => {
  it('--runners is an integer from 1 to 64; absent means the profile decides', () => {
    expect(parseRunFlags({ runners: '4' }).runners).toBe(4);
    expect(parseRunFlags({}).runners).toBeUndefined();
    for (const bad of ['0', '65', '2.5', 'four', '-1']) expect(() => parseRunFlags({ runners: bad })).toThrow(/--runners must be an integer/);
  });

  it('--plan needs no target', () => {
    expect(parseRunFlags({ plan: true, profile: 'full' }).planOnly).toBe(true);
  });

  it('cluster flags only with --cluster, and --cluster only with a target', () => {
    expect(() => parseRunFlags({ dryRun: true })).toThrow(/--dry-run only applies with --cluster/);
    expect(() => parseRunFlags({ context: 'prod', runnerImage: 'x' })).toThrow(/--context, --runner-image only applies with --cluster/);
    expect(() => parseRunFlags({ cluster: true })).toThrow(/--cluster needs --target/);
    const opts = parseRunFlags({ cluster: true, target: 't.yaml', context: 'kind-lab', dryRun: true });
    expect(opts.cluster).toEqual({ context: 'kind-lab', namespace: DEFAULT_NAMESPACE, runnerImage: DEFAULT_RUNNER_IMAGE, dryRun: true });
  });
});
