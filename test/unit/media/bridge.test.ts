import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inNetns } from '../../../scripts/clients/netns.ts';
import { bridgeArgv, bridgeGroupScript, bridgeSocketPath } from '../../../scripts/clients/socat.ts';

describe('media namespace command lines', () => {
  it('runs a command inside a namespace by name, and refuses names that are not safe', () => {
    expect(inNetns('gomeet-media', ['livekit-server', '--config', 'x'])).toEqual(['ip', 'netns', 'exec', 'gomeet-media', 'livekit-server', '--config', 'x']);
    expect(() => inNetns('bad name; rm -rf /', ['x'])).toThrow(/must match/);
    expect(() => inNetns('gomeet-media', [])).toThrow(/empty/);
  });

  it('a bridge listens on the host at 127.0.0.1 only and reaches 127.0.0.1 inside', () => {
    const a = bridgeArgv('/usr/bin/socat', 'ns1', 17880, 27880, '/run/x/ns1-17880.sock');
    expect(a.inside.slice(0, 4)).toEqual(['ip', 'netns', 'exec', 'ns1']);
    expect(a.inside).toContain('TCP:127.0.0.1:17880');
    expect(a.host).toContain('TCP-LISTEN:27880,bind=127.0.0.1,reuseaddr,fork');
    expect(a.host).toContain('UNIX-CONNECT:/run/x/ns1-17880.sock');
  });

  it('socket paths beyond the unix limit are refused up front', () => {
    expect(bridgeSocketPath('/tmp/s', 'ns', 1)).toBe('/tmp/s/ns-1.sock');
    expect(() => bridgeSocketPath(`/tmp/${'d'.repeat(120)}`, 'ns', 1)).toThrow(/too long/);
  });

  it('the group script is valid bash that starts every socat and ends the group when one ends', () => {
    const script = bridgeGroupScript('/usr/bin/socat', 'ns1', [
      { port: 17880, hostPort: 17880, socketPath: "/tmp/it's here/a.sock" },
      { port: 17889, hostPort: 17889, socketPath: '/tmp/b.sock' },
    ]);
    const lines = script.split('\n');
    expect(lines.filter((l) => l.endsWith(' &'))).toHaveLength(4);
    expect(lines.slice(-2)).toEqual(['wait -n', 'kill 0']);
    // bash -n parses without running: quoting of the odd path holds.
    execFileSync('bash', ['-n', '-c', script]);
    expect(script).toContain(`'UNIX-LISTEN:/tmp/it'\\''s here/a.sock,fork,unlink-early,mode=600'`);
  });
});
