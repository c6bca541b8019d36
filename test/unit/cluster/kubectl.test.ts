import { describe, expect, it } from 'vitest';
import { Kubectl, redactSecrets, type CommandRunner } from '../../../scripts/clients/kubectl.ts';

function recorder(answer = '') {
  const calls: { file: string; args: string[]; stdin?: string }[] = [];
  const run: CommandRunner = async (file, args, stdin) => {
    calls.push({ file, args, stdin });
    return answer;
  };
  return { calls, run };
}
const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { GOMEET_LOADTEST_PASSWORD: 'pw-123' } };

describe('kubectl client', () => {
  it('dry run: every call is printed, none is made, Secret values never printed', async () => {
    const { calls, run } = recorder();
    const lines: string[] = [];
    const k = new Kubectl({ context: 'kind-lab', namespace: 'ns', dryRun: true, run, onCommand: (l) => lines.push(l) });
    await k.apply([secret, { kind: 'ConfigMap', metadata: { name: 'c' } }]);
    expect(await k.getJson('testrun', 'x')).toBeUndefined();
    expect(await k.podNames('k6_cr=x')).toEqual([]);
    await k.exec('pod/x-1', ['kill', '-INT', '1']);
    await k.delete('secret', 's');
    expect(calls).toHaveLength(0);
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^\[dry-run\] kubectl --context kind-lab --namespace ns /);
    expect(lines.join('\n')).not.toContain('pw-123');
    expect(lines[0]).toContain('<redacted>');
  });

  it('a real call: flags, then the verb; manifests on stdin (the Secret never in argv)', async () => {
    const { calls, run } = recorder('{"status":{"stage":"started"}}');
    const k = new Kubectl({ namespace: 'ns', dryRun: false, run, onCommand: () => undefined });
    await k.apply([secret]);
    expect(calls[0]!.args).toEqual(['--namespace', 'ns', 'apply', '-f', '-']);
    expect(calls[0]!.args.join(' ')).not.toContain('pw-123');
    expect(JSON.parse(calls[0]!.stdin!).items[0].stringData.GOMEET_LOADTEST_PASSWORD).toBe('pw-123');
    expect(await k.getJson('testrun', 'x')).toEqual({ status: { stage: 'started' } });
    expect(calls[1]!.args).toEqual(['--namespace', 'ns', 'get', 'testrun', 'x', '--ignore-not-found', '-o', 'json']);
  });

  it('redacts data and stringData of Secrets only', () => {
    expect(redactSecrets(secret)).toMatchObject({ stringData: { GOMEET_LOADTEST_PASSWORD: '<redacted>' } });
    const cm = { kind: 'ConfigMap', data: { a: 'b' } };
    expect(redactSecrets(cm)).toBe(cm);
  });
});
