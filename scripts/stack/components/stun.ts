/**
 * A STUN server on loopback (coturn in --stun-only mode) for livekit-server's `rtc.stun_servers`,
 * so nothing in the stack ever asks a public STUN service. Its one command line lives here.
 */
import { tcp, udp, type Component } from '../component.ts';
import { logFileOf, pidFileOf } from '../layout.ts';
import { startDetached, type Launch } from '../process.ts';
import { tcpOpen } from '../readiness.ts';

function turnserverLaunch(host: string, port: number, pidFile: string): Launch {
  return {
    cmd: 'turnserver',
    args: [
      '--stun-only',
      `--listening-ip=${host}`,
      `--listening-port=${port}`,
      // No TLS/DTLS listeners, no telnet CLI: only the STUN port. Its own pidfile stays in our run dir.
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${pidFile}`,
    ],
  };
}

export const stun: Component = {
  name: 'stun',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.turn, 'stun'), udp(ctx.ports.turn, 'stun')],
  processMarker: 'turnserver',
  readyTimeoutSec: 30,
  start: (ctx) =>
    startDetached(
      turnserverLaunch(ctx.host, ctx.ports.turn, pidFileOf(ctx.layout, 'stun-turnserver')),
      logFileOf(ctx.layout, 'stun'),
      pidFileOf(ctx.layout, 'stun'),
    ),
  healthy: (ctx) => tcpOpen(ctx.host, ctx.ports.turn),
};
