/** livekit-server (the pinned build): loopback, UDP media mux, local STUN, keys via LIVEKIT_KEYS. */
import { writeFile } from 'node:fs/promises';
import { renderLivekitYaml } from '../../../stack/config/livekit-yaml.ts';
import { livekitReady, livekitServerLaunch } from '../../clients/livekit-server.ts';
import { ensureLivekitServer } from '../../tools/livekit-server.ts';
import { tcp, udp, type Component } from '../component.ts';
import { configFileOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';

export const livekit: Component = {
  name: 'livekit',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.livekitHttp, 'livekit'), udp(ctx.ports.livekitUdp, 'livekit'), tcp(ctx.ports.livekitPrometheus, 'livekit')],
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
    return startDetached(launch, logFileOf(ctx.layout, 'livekit'), pidFileOf(ctx.layout, 'livekit'));
  },
  healthy: (ctx) => livekitReady(`http://${ctx.host}:${ctx.ports.livekitHttp}/`),
};
