/**
 * The gateway's configuration derived from the seed: haproxy.cfg carries the seed's limits on the
 * right routes, haproxy itself accepts it, and the `limits` command's flags default to the seed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitsFromFlags } from '../../../scripts/limits.ts';
import { TOKEN_BUCKET_LUA } from '../../../scripts/stack/components/gateway.ts';
import { renderHaproxyCfg } from '../../../stack/config/haproxy-cfg.ts';
import { SEED_GATEWAY_LIMITS } from '../../../stack/gateway/rate-limits.ts';
import { stackPorts } from '../../../stack/ports.ts';

const ports = stackPorts(7100);
const cfg = renderHaproxyCfg({ host: '127.0.0.1', port: ports.gateway, apiPort: ports.api, signalingPorts: ports.signaling, limits: SEED_GATEWAY_LIMITS, luaFile: TOKEN_BUCKET_LUA });

describe('haproxy.cfg of the local stack', () => {
  it("limits /ws at the seed's 2000 per 60 s and everything else at 1000 per 60 s, answering 429", () => {
    expect(cfg).toContain('http-request lua.token_bucket websocket 2000 60 2000 if is_ws');
    expect(cfg).toContain('http-request lua.token_bucket api 1000 60 1000 if !is_ws');
    expect(cfg).toMatch(/http-request return status 429 .* if \{ var\(txn\.rate_limited\) -m bool \}/);
  });

  it('listens on the offset gateway port and forwards to the offset api and every signaling worker', () => {
    expect(ports.gateway).toBe(25100);
    expect(cfg).toContain('bind 127.0.0.1:25100');
    expect(cfg).toContain(`server api 127.0.0.1:${ports.api}`);
    for (const p of ports.signaling) expect(cfg).toContain(`127.0.0.1:${p}`);
  });

  it('is a configuration haproxy accepts (haproxy -c, Lua loaded)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gomeet-haproxy-cfg-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), cfg);
      expect(execFileSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' })).toContain('Configuration file is valid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('limits command flags', () => {
  it("default to the seed's limits and scale count and period together otherwise", () => {
    expect(limitsFromFlags({})).toBe(SEED_GATEWAY_LIMITS);
    expect(limitsFromFlags({ apiLimit: '10', wsLimit: '20', periodSec: '20' })).toEqual({
      api: { average: 10, periodSec: 20, burst: 10 },
      websocket: { average: 20, periodSec: 20, burst: 20 },
    });
    expect(() => limitsFromFlags({ apiLimit: '0' })).toThrow('--api-limit must be a positive integer, got "0"');
  });
});
