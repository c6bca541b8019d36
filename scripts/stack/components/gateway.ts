/**
 * The gateway of the local stack: Debian's haproxy in front of the api and the signaling workers,
 * enforcing the seed's Traefik rate limits (stack/gateway/rate-limits.ts, the Lua token bucket
 * beside it) and answering 429 as Traefik does. Why haproxy and not the services: the limit is the
 * gateway's in the seed, and haproxy (with Lua) runs Traefik's exact bucket arithmetic; nginx's
 * limit_req is a leaky bucket that delays or refuses by its own rules.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHaproxyCfg } from '../../../stack/config/haproxy-cfg.ts';
import { SEED_GATEWAY_LIMITS } from '../../../stack/gateway/rate-limits.ts';
import { PROJECT_ROOT } from '../../tools/paths.ts';
import { tcp, type Component } from '../component.ts';
import { configFileOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';

export const TOKEN_BUCKET_LUA = join(PROJECT_ROOT, 'stack/gateway/token-bucket.lua');

export const gateway: Component = {
  name: 'gateway',
  dependsOn: ['api', 'signaling'],
  ports: (ctx) => [tcp(ctx.ports.gateway, 'gateway')],
  processMarker: 'haproxy',
  readyTimeoutSec: 30,
  async start(ctx) {
    const conf = configFileOf(ctx.layout, 'haproxy.cfg');
    await writeFile(
      conf,
      renderHaproxyCfg({
        host: ctx.host,
        port: ctx.ports.gateway,
        apiPort: ctx.ports.api,
        signalingPorts: ctx.ports.signaling,
        limits: SEED_GATEWAY_LIMITS,
        luaFile: TOKEN_BUCKET_LUA,
      }),
    );
    // -db: stay in the foreground, so the pid recorded is haproxy's own.
    return startDetached({ cmd: 'haproxy', args: ['-db', '-f', conf] }, logFileOf(ctx.layout, 'gateway'), pidFileOf(ctx.layout, 'gateway'));
  },
  // Through the gateway to the api: proves the route, not just the listener. Health checks have no
  // X-Client-Id, so they share the gateway host's own bucket, far from its limit.
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.gateway}/health`, 200),
};
