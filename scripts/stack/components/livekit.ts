/**
 * livekit-server (the pinned build): loopback, UDP media mux, local STUN, keys via LIVEKIT_KEYS.
 * It runs inside the media network namespace (only `lo`; scripts/clients/netns.ts), where bots and
 * browsers can reach it over 127.0.0.1 without any WebRTC stack choosing this machine's other
 * address; the host reaches its ports through livekit-bridge, which is why it has no host ports.
 */
import { writeFile } from 'node:fs/promises';
import { renderLivekitYaml } from '../../../stack/config/livekit-yaml.ts';
import { livekitReady, livekitServerLaunch } from '../../clients/livekit-server.ts';
import { ensureNetns, inNetns, MEDIA_NETNS } from '../../clients/netns.ts';
import { ensureLivekitServer } from '../../tools/livekit-server.ts';
import type { Component } from '../component.ts';
import { configFileOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';

export const livekit: Component = {
  name: 'livekit',
  // Health is checked through the bridge, so the bridge comes first.
  dependsOn: ['livekit-bridge'],
  // Its ports are the namespace's, not the host's (the host side is livekit-bridge's).
  ports: () => [],
  processMarker: 'livekit-server',
  readyTimeoutSec: 60,
  async start(ctx) {
    // Found, not built: `stack up` must stay fast; `setup` builds it when missing.
    const binary = await ensureLivekitServer({ build: false });
    const conf = configFileOf(ctx.layout, 'livekit.yaml');
    await writeFile(
      conf,
      renderLivekitYaml({
        httpPort: ctx.ports.livekitHttp,
        udpPort: ctx.ports.livekitUdp,
        prometheusPort: ctx.ports.livekitPrometheus,
        stunServer: `${ctx.host}:${ctx.ports.turn}`,
      }),
    );
    const launch = livekitServerLaunch(binary, conf, ctx.secrets.GOMEET_LIVEKIT_API_KEY, ctx.secrets.GOMEET_LIVEKIT_API_SECRET);
    await ensureNetns(MEDIA_NETNS);
    // `ip netns exec` execs the server, so the pidfile names livekit-server itself.
    const [cmd, ...args] = inNetns(MEDIA_NETNS, [launch.cmd, ...launch.args]);
    return startDetached({ ...launch, cmd: cmd!, args }, logFileOf(ctx.layout, 'livekit'), pidFileOf(ctx.layout, 'livekit'));
  },
  healthy: (ctx) => livekitReady(`http://${ctx.host}:${ctx.ports.livekitHttp}/`),
};
