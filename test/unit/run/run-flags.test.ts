import { describe, expect, it } from 'vitest';
import { webDashboardEnv } from '../../../scripts/run/load/runners.ts';
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

  it("--web-dashboard: each local runner exports k6's report to its own file, no dashboard port; not with --cluster", () => {
    expect(parseRunFlags({}).webDashboard).toBe(false);
    expect(parseRunFlags({ webDashboard: true }).webDashboard).toBe(true);
    expect(() => parseRunFlags({ webDashboard: true, cluster: true, target: 't.yaml' })).toThrow(/--web-dashboard applies to local runners/);
    expect(webDashboardEnv('/out/runner-2')).toEqual({ K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_EXPORT: '/out/runner-2/k6-dashboard.html' });
  });
});
