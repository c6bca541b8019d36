/**
 * `cluster up|down|status|prepare`. No cluster here: kubectl is a recording runner (in process) or
 * a fake binary that records being run (CLI). What is proved:
 *   - --dry-run prints the exact kubectl argv sequence, the manifests with secrets redacted, and
 *     runs nothing (no runner call; a kubectl on PATH is never started)
 *   - without --dry-run and without kubectl: one line `error: …`, exit 2, nothing run
 *   - a failed bring-up (smoke or rollout) dumps pod state and the unready pods' logs, then deletes
 *     both namespaces, and ends as a UsageError naming the step
 *   - status counts ready/desired; prepare writes a loadable target and the seed's 500 × 100 = 50,000
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackSecrets } from '../../../deploy/gomeet/options.ts';
import { loadTarget } from '../../../lib/config/target.ts';
import type { CommandRunner } from '../../../scripts/clients/kubectl.ts';
import { clusterCommand, type ClusterSeams } from '../../../scripts/cluster/command.ts';
import { profileDifferences } from '../../../scripts/cluster/prepare.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';

const CLI = join(import.meta.dirname, '../../../bin/gomeet-capacity.mjs');
const SECRETS: StackSecrets = {
  postgresPassword: 'pgPW-aaaa',
  replicationPassword: 'replPW-bbbb',
  jwtSecret: 'jwtPW-cccc',
  livekitApiKey: 'APIkeyDDDD',
  livekitApiSecret: 'lkPW-eeee',
  turnSecret: 'turnPW-ffff',
  grafanaAdminPassword: 'grafPW-gggg',
};

/** The order `up` waits in: databases first, then the SFU, services, gateway, monitoring, InfluxDB. */
const ROLLOUTS = [
  'statefulset/postgres-primary',
  'statefulset/postgres-replica',
  'deployment/pgbouncer',
  'statefulset/redis-master',
  'statefulset/redis-replica',
  'deployment/livekit-sfu',
  'deployment/auth-service',
  'deployment/meeting-service',
  'deployment/signaling-service',
  'deployment/chat-service',
  'deployment/turn-service',
  'deployment/traefik',
  'statefulset/prometheus',
  'deployment/grafana',
  'statefulset/alertmanager',
];
const G = ['--context', 'lab', '--namespace', 'gomeet'];
const L = ['--context', 'lab', '--namespace', 'gomeet-capacity'];
const BUNDLE = /^https:\/\/raw\.githubusercontent\.com\/grafana\/k6-operator\/[0-9a-f]{40}\/bundle\.yaml$/;

function recorder(answer: (args: string[]) => string | Error = () => '') {
  const calls: { args: string[]; stdin?: string }[] = [];
  const run: CommandRunner = async (_file, args, stdin) => {
    calls.push({ args, stdin });
    const a = answer(args);
    if (a instanceof Error) throw a;
    return a;
  };
  return { calls, run };
}

function seams(extra: ClusterSeams = {}) {
  const out: string[] = [];
  const forwards: string[][] = [];
  return {
    out,
    forwards,
    seams: {
      log: (t: string) => void out.push(t),
      secrets: SECRETS,
      kubectlPath: 'kubectl',
      forward: async (_f: string, args: string[]) => {
        forwards.push(args);
        return { localPort: 40000 + forwards.length, close: () => undefined };
      },
      ...extra,
    } satisfies ClusterSeams,
  };
}

/** The argv of each printed dry-run call, without the heredoc of its stdin. */
const dryRunArgv = (out: string[]) => out.filter((l) => l.startsWith('[dry-run] kubectl ')).map((l) => l.split('\n')[0]!.replace(/^\[dry-run\] kubectl /, '').replace(/ <<'EOF'$/, '').split(' '));

describe('cluster up --dry-run', () => {
  it('prints the exact kubectl sequence, the manifests with secrets redacted, and runs nothing', async () => {
    const { calls, run } = recorder();
    const { out, forwards, seams: s } = seams({ run });
    expect(await clusterCommand('up', { context: 'lab', dryRun: true, imageTag: 'v2.1.0' }, s)).toBe(0);
    expect(calls).toEqual([]);
    expect(forwards).toEqual([]);
    const argv = dryRunArgv(out);
    expect(argv[0]).toEqual(['--context', 'lab', 'apply', '--server-side', '--field-manager=gomeet-capacity', '--force-conflicts', '-f', '-']);
    expect(argv[1]!.slice(0, 4)).toEqual(['--context', 'lab', 'apply', '--server-side']);
    expect(argv[1]![5]).toMatch(BUNDLE);
    expect(argv.slice(2, 2 + ROLLOUTS.length + 1)).toEqual([
      ...ROLLOUTS.map((r) => [...G, 'rollout', 'status', r, '--timeout=600s']),
      [...L, 'rollout', 'status', 'statefulset/influxdb', '--timeout=600s'],
    ]);
    expect(argv.slice(2 + ROLLOUTS.length + 1)).toEqual([
      [...G, 'wait', '--for=condition=complete', 'job/redis-cluster-init', '--timeout=600s'],
      [...G, 'get', 'service', 'traefik', '--ignore-not-found', '-o', 'json'],
      [...G, 'port-forward', 'svc/prometheus', ':9090', '--address', '127.0.0.1'],
      [...L, 'port-forward', 'svc/influxdb', ':8086', '--address', '127.0.0.1'],
      [...G, 'port-forward', 'pod/redis-master-0', ':6379', '--address', '127.0.0.1'],
      [...G, 'port-forward', 'pod/postgres-primary-0', ':5432', '--address', '127.0.0.1'],
      [...G, 'port-forward', 'svc/pgbouncer', ':6432', '--address', '127.0.0.1'],
    ]);
    const text = out.join('\n');
    for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
    // The manifest as printed: the whole stack, the Secret's values redacted, the tag applied.
    const printed = out[1]!;
    const list = JSON.parse(printed.slice(printed.indexOf('\n') + 1, printed.lastIndexOf('\nEOF')));
    expect(list.items).toHaveLength(55);
    const secret = list.items.find((i: { kind: string }) => i.kind === 'Secret');
    expect(Object.values(secret.stringData).every((v) => v === '<redacted>')).toBe(true);
    const auth = list.items.find((i: { kind: string; metadata: { name: string } }) => i.kind === 'Deployment' && i.metadata.name === 'auth-service');
    expect(auth.spec.template.spec.containers[0].image).toBe('gomeet/auth-service:v2.1.0');
    expect(text).toContain('infra-smoke against gomeet-gomeet');
  });

  it('down and status: their calls, printed and not made', async () => {
    const { calls, run } = recorder();
    const down = seams({ run });
    expect(await clusterCommand('down', { context: 'lab', dryRun: true, namespace: 'gm-nightly', timeoutSec: '300' }, down.seams)).toBe(0);
    expect(dryRunArgv(down.out)).toEqual([
      ['--context', 'lab', 'delete', 'namespace', 'gm-nightly', '--ignore-not-found', '--wait', '--timeout=300s'],
      ['--context', 'lab', 'delete', 'namespace', 'gm-nightly-capacity', '--ignore-not-found', '--wait', '--timeout=300s'],
    ]);
    const status = seams({ run });
    expect(await clusterCommand('status', { context: 'lab', dryRun: true }, status.seams)).toBe(0);
    expect(dryRunArgv(status.out)).toEqual([
      [...G, 'get', 'deployments,statefulsets', '-o', 'json'],
      [...G, 'get', 'pods', '-o', 'json'],
      [...L, 'get', 'deployments,statefulsets', '-o', 'json'],
      [...L, 'get', 'pods', '-o', 'json'],
    ]);
    expect(calls).toEqual([]);
  });
});

describe('cluster: kubectl missing, flags wrong', () => {
  it('not a dry run and no kubectl on PATH: a UsageError before anything runs', async () => {
    const { calls, run } = recorder();
    const { out, seams: s } = seams({ run, kubectlPath: undefined, path: mkdtempSync(join(tmpdir(), 'no-kubectl-')) });
    await expect(clusterCommand('up', { context: 'lab' }, s)).rejects.toThrow(new UsageError('kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and configure the context, or use --dry-run'));
    await expect(clusterCommand('down', { context: 'lab' }, s)).rejects.toThrow(UsageError);
    expect(calls).toEqual([]);
    expect(out).toEqual([]);
  });

  it.each([
    ['up', {}, /needs --context/],
    ['launch', { context: 'lab' }, /unknown cluster action 'launch'/],
    ['up', { context: 'lab', namespace: 'GoMeet_1' }, /--namespace 'GoMeet_1' is not/],
    ['up', { context: 'lab', imageTag: 'v2;rm -rf' }, /--image-tag .* is not an image tag/],
    ['up', { context: 'lab', timeoutSec: '5' }, /--timeout-sec must be/],
    ['prepare', { domain: 'not a domain' }, /--domain 'not a domain'/],
  ] as const)('%s %j → UsageError', async (action, flags, message) => {
    const { calls, run } = recorder();
    await expect(clusterCommand(action, { ...flags, dryRun: true }, seams({ run }).seams)).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });
});

describe('cluster up, kubectl answering (recorded)', () => {
  const pods = JSON.stringify({
    items: [
      { metadata: { name: 'auth-service-6c9f-abcde' }, status: { phase: 'Running', containerStatuses: [{ ready: true }] } },
      { metadata: { name: 'livekit-sfu-7d8b-xyz12' }, status: { phase: 'Running', containerStatuses: [{ ready: false }] } },
      { metadata: { name: 'redis-master-2' }, status: { phase: 'Pending' } },
    ],
  });
  const answers = (args: string[]): string => {
    const verb = args.slice(4).join(' ');
    if (verb === 'get pods -o json' && args[3] === 'gomeet') return pods;
    if (verb === 'get pods -o json') return '{"items":[]}';
    if (verb.startsWith('get service traefik')) return JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } });
    if (verb === 'get pods -o wide') return 'NAME READY STATUS';
    if (verb.startsWith('logs ')) return `log of ${args[5]}`;
    return '';
  };
  const verbs = (calls: { args: string[] }[]) => calls.map((c) => c.args.filter((a) => !['--context', 'lab', '--namespace'].includes(a)).join(' '));

  it('smoke fails → pod state and the unready pods\' logs, then both namespaces deleted, exit 2 naming the check', async () => {
    const { calls, run } = recorder(answers);
    const smoke = async () => ({ ok: false, results: [{ name: 'livekit', status: 'fail' as const, observed: 'ECONNREFUSED', expected: '200', required: true }] });
    const { out, seams: s } = seams({ run, smoke });
    await expect(clusterCommand('up', { context: 'lab' }, s)).rejects.toThrow(new UsageError('cluster up failed and was torn down: infra-smoke failed: livekit'));
    const v = verbs(calls);
    const after = v.slice(v.indexOf('gomeet get service traefik --ignore-not-found -o json') + 1);
    expect(after).toEqual([
      'gomeet get pods -o wide',
      'gomeet describe pods',
      'gomeet get pods -o json',
      'gomeet logs livekit-sfu-7d8b-xyz12 --all-containers --prefix --tail=100',
      'gomeet logs redis-master-2 --all-containers --prefix --tail=100',
      'gomeet-capacity get pods -o wide',
      'gomeet-capacity describe pods',
      'gomeet-capacity get pods -o json',
      'delete namespace gomeet --ignore-not-found --wait --timeout=600s',
      'delete namespace gomeet-capacity --ignore-not-found --wait --timeout=600s',
    ]);
    // The real secrets reach kubectl on stdin only; nothing printed holds them.
    expect(calls[0]!.stdin).toContain(SECRETS.postgresPassword);
    expect(calls.flatMap((c) => c.args).join(' ')).not.toContain(SECRETS.postgresPassword);
    for (const v of Object.values(SECRETS)) expect(out.join('\n')).not.toContain(v);
    expect(out.join('\n')).toContain('traefik LoadBalancer at 203.0.113.10');
    expect(out).toContain('log of livekit-sfu-7d8b-xyz12');
  });

  it('a rollout that times out stops the waits there, dumps, tears down', async () => {
    const { calls, run } = recorder((args) => (args.includes('deployment/signaling-service') ? new Error('kubectl rollout status: error: timed out waiting for the condition') : answers(args)));
    let smoked = false;
    const { seams: s } = seams({ run, smoke: async () => ((smoked = true), { ok: true, results: [] }) });
    await expect(clusterCommand('up', { context: 'lab' }, s)).rejects.toThrow(/cluster up failed and was torn down: .*timed out waiting for the condition/);
    const v = verbs(calls);
    expect(v.filter((x) => x.includes('rollout status')).at(-1)).toContain('deployment/signaling-service');
    expect(v.some((x) => x.includes('deployment/chat-service'))).toBe(false);
    expect(smoked).toBe(false);
    expect(v.slice(-2)).toEqual(['delete namespace gomeet --ignore-not-found --wait --timeout=600s', 'delete namespace gomeet-capacity --ignore-not-found --wait --timeout=600s']);
  });

  it('everything ready and the smoke passing: exit 0, nothing deleted', async () => {
    const { calls, run } = recorder(answers);
    const { seams: s } = seams({ run, smoke: async () => ({ ok: true, results: [] }) });
    expect(await clusterCommand('up', { context: 'lab' }, s)).toBe(0);
    expect(verbs(calls).some((x) => x.startsWith('delete'))).toBe(false);
  });

  it('status: ready/desired per workload, exit 1 while one is short', async () => {
    const workloads = JSON.stringify({ items: [{ kind: 'Deployment', metadata: { name: 'auth-service' }, spec: { replicas: 8 }, status: { readyReplicas: 8 } }, { kind: 'StatefulSet', metadata: { name: 'redis-master' }, spec: { replicas: 6 }, status: { readyReplicas: 5 } }] });
    const { run } = recorder((args) => (args.includes('deployments,statefulsets') ? workloads : args.includes('pods') ? pods : ''));
    const { out, seams: s } = seams({ run });
    expect(await clusterCommand('status', { context: 'lab' }, s)).toBe(1);
    expect(out.join('\n')).toMatch(/StatefulSet\/redis-master\s+5\/6 ready/);
    expect(out.join('\n')).toContain('not ready: livekit-sfu-7d8b-xyz12, redis-master-2');
  });
});

describe('cluster prepare', () => {
  it("writes a loadable target, the seed's load-test configuration and the profile note; --dry-run writes nothing", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'prepare-')), 'out');
    const dry = seams();
    expect(await clusterCommand('prepare', { out: dir, dryRun: true, domain: 'meet.example.org' }, dry.seams)).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(dry.out.join('\n')).toContain(`[dry-run] would write ${join(dir, 'target.yaml')}`);

    const real = seams();
    expect(await clusterCommand('prepare', { out: dir, domain: 'meet.example.org', context: 'lab' }, real.seams)).toBe(0);
    const target = await loadTarget(join(dir, 'target.yaml'));
    expect(target.api.baseUrl).toBe('https://api.meet.example.org');
    expect(target.livekit.url).toBe('wss://livekit.meet.example.org');
    expect(target.influxdb?.url).toBe('http://influxdb.gomeet-capacity.svc.cluster.local:8086');
    expect(target.pgbouncer?.url).toBe('postgresql://gomeet@pgbouncer.gomeet.svc.cluster.local:6432/pgbouncer');
    const config = JSON.parse(readFileSync(join(dir, 'load-test-config.json'), 'utf8'));
    expect(config).toMatchObject({ participantsPerMeeting: 500, meetings: 100, totalParticipants: 50_000, profile: 'full', context: 'lab' });
    const note = readFileSync(join(dir, 'PROFILE.md'), 'utf8');
    expect(note).toContain('run --profile full --target');
    expect(note).toContain('--cluster --context lab --namespace gomeet-capacity');
    // The note says what the profile is, read from it: the same scale, or each difference.
    const diffs = profileDifferences();
    if (diffs.length === 0) expect(note).toContain('exactly that scale');
    else for (const d of diffs) expect(note).toContain(d);
  });

  it('the full profile is the seed\'s prepare-load-test scale', () => {
    expect(profileDifferences()).toEqual([]);
  });
});

describe('cluster via the command line', { timeout: 90_000 }, () => {
  /** A PATH holding node, and optionally a fake kubectl that records being started. */
  function fakePath(withKubectl: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-path-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    const record = join(dir, 'kubectl-was-run');
    if (withKubectl) {
      writeFileSync(join(dir, 'kubectl'), `#!/bin/sh\necho "$@" >> ${record}\n`);
      chmodSync(join(dir, 'kubectl'), 0o755);
    }
    return { dir, record };
  }
  const cli = (args: string[], path: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: path } });

  it('--dry-run with a kubectl on PATH: the calls printed, kubectl never started, exit 0', () => {
    const { dir, record } = fakePath(true);
    const r = cli(['cluster', 'down', '--context', 'lab', '--dry-run'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('[dry-run] kubectl --context lab delete namespace gomeet --ignore-not-found');
    expect(existsSync(record)).toBe(false);
  });

  it('no kubectl and no --dry-run: one line `error: …` on stderr, exit 2', () => {
    const { dir } = fakePath(false);
    const r = cli(['cluster', 'status', '--context', 'lab'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['error: kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and configure the context, or use --dry-run']);
    expect(r.stdout).toBe('');
  });
});
