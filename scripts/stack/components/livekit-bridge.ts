/**
 * The host's way to livekit-server, which runs inside the media namespace (see livekit.ts): socat
 * bridges over unix sockets for its HTTP/WebSocket port and its metrics port, so Prometheus, k6's
 * signaling-plane scenarios and infra-smoke keep using 127.0.0.1:<port> on the host. One bash
 * process group holds all four socats; when one dies the group ends, so `status` sees it down.
 * Media (UDP) is never bridged: it stays in the namespace. Command lines: scripts/clients/socat.ts.
 */
import { ensureNetns, MEDIA_NETNS } from '../../clients/netns.ts';
import { bridgeGroupScript, bridgeSocketPath, requireSocat } from '../../clients/socat.ts';
import { tcp, type Component } from '../component.ts';
import { logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { tcpOpen } from '../readiness.ts';

export const livekitBridge: Component = {
  name: 'livekit-bridge',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.livekitHttp, 'livekit-bridge'), tcp(ctx.ports.livekitPrometheus, 'livekit-bridge')],
  processMarker: 'socat',
  readyTimeoutSec: 30,
  async unavailable() {
    try {
      await requireSocat();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
  async start(ctx) {
    await ensureNetns(MEDIA_NETNS);
    const socat = await requireSocat();
    // Inside the namespace livekit-server listens on the same port numbers as the host side.
    const bridges = [ctx.ports.livekitHttp, ctx.ports.livekitPrometheus].map((port) => ({
      port,
      hostPort: port,
      socketPath: bridgeSocketPath(ctx.layout.runDir, MEDIA_NETNS, port),
    }));
    const script = bridgeGroupScript(socat, MEDIA_NETNS, bridges);
    return startDetached({ cmd: 'bash', args: ['-c', script] }, logFileOf(ctx.layout, 'livekit-bridge'), pidFileOf(ctx.layout, 'livekit-bridge'));
  },
  healthy: async (ctx) => (await tcpOpen(ctx.host, ctx.ports.livekitHttp)) && (await tcpOpen(ctx.host, ctx.ports.livekitPrometheus)),
};
