/**
 * Before anything starts: is every port the stack needs free? A taken port is an error that names
 * the port and what holds it (from `ss`), instead of a server dying later with "address in use".
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { $ } from 'zx';
import { UsageError } from '../exit-codes.ts';

export interface PortNeed {
  port: number;
  protocol: 'tcp' | 'udp';
  /** Component that will listen there (named in the error). */
  component: string;
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** `name (pid N)` of the listener on `port`, from ss; "an unknown process" when ss cannot tell. */
export async function portHolder(port: number, protocol: 'tcp' | 'udp'): Promise<string> {
  const flag = protocol === 'tcp' ? '-Hltnp' : '-Hlunp';
  const out = await $({ quiet: true, nothrow: true })`ss ${flag} ${`sport = :${port}`}`;
  const users = /users:\(\("([^"]+)",pid=(\d+)/.exec(out.stdout);
  if (users) return `${users[1]} (pid ${users[2]})`;
  const local = out.stdout.trim().split(/\s+/)[3];
  return local ? `an unknown process listening on ${local}` : 'an unknown process';
}

/** Throws one UsageError naming every taken port and its holder. */
export async function assertPortsFree(host: string, needs: PortNeed[]): Promise<void> {
  const taken: string[] = [];
  for (const need of needs) {
    const free = need.protocol === 'tcp' ? await tcpFree(host, need.port) : await udpFree(host, need.port);
    if (!free) taken.push(`${need.protocol} port ${need.port} (for ${need.component}) is held by ${await portHolder(need.port, need.protocol)}`);
  }
  if (taken.length > 0) {
    throw new UsageError(`cannot start the local stack: ${taken.join('; ')} — stop it, or shift the stack with GOMEET_STACK_PORT_OFFSET`);
  }
}
