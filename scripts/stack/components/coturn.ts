/**
 * The TURN service of the local stack: coturn (Debian's turnserver) with time-limited REST
 * credentials from secrets.env (GOMEET_TURN_SECRET), on loopback. It is also the STUN server
 * livekit-server is pointed at, so nothing in the stack asks a public STUN service. Its config
 * (stack/config/coturn-conf.ts) holds the secret and is written mode 0600. Passing `-c` also keeps
 * coturn from reading a system /etc/turnserver.conf.
 */
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { renderCoturnConf, TURN_REALM } from '../../../stack/config/coturn-conf.ts';
import { tcp, udp, type Component, type StackContext } from '../component.ts';
import { configFileOf, dataDirOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { tcpOpen } from '../readiness.ts';

/** The URIs target.yaml gives for this server: both transports it listens on. */
export function turnUrls(ctx: StackContext): string[] {
  return [`turn:${ctx.host}:${ctx.ports.turn}?transport=udp`, `turn:${ctx.host}:${ctx.ports.turn}?transport=tcp`];
}

export const turn: Component = {
  name: 'turn',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.turn, 'turn'), udp(ctx.ports.turn, 'turn')],
  processMarker: 'turnserver',
  readyTimeoutSec: 30,
  async start(ctx) {
    const dir = dataDirOf(ctx.layout, 'turn');
    await mkdir(dir, { recursive: true });
    const conf = configFileOf(ctx.layout, 'turnserver.conf');
    const body = renderCoturnConf({
      host: ctx.host,
      port: ctx.ports.turn,
      relayMinPort: ctx.ports.turnRelayMin,
      relayMaxPort: ctx.ports.turnRelayMax,
      realm: TURN_REALM,
      staticAuthSecret: ctx.secrets.GOMEET_TURN_SECRET,
      pidFile: pidFileOf(ctx.layout, 'turn-turnserver'),
      userDbFile: `${dir}/turndb`,
    });
    await writeFile(conf, body, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file.
    await chmod(conf, 0o600);
    return startDetached({ cmd: 'turnserver', args: ['-c', conf] }, logFileOf(ctx.layout, 'turn'), pidFileOf(ctx.layout, 'turn'));
  },
  healthy: (ctx) => tcpOpen(ctx.host, ctx.ports.turn),
};
