/**
 * What the stack manager knows about one component (a server process): what it needs before it
 * starts, which ports it takes, how to start it, how to tell it is ready, and what to do once it is.
 * One file per component in components/; the manager (up.ts, down.ts, status.ts) is generic.
 */
import type { StackPorts } from '../../stack/ports.ts';
import type { StackLayout } from './layout.ts';
import type { PortNeed } from './port-check.ts';
import type { StackSecrets } from './secrets.ts';

export type ProgressLog = (line: string) => void;

/** Everything a component needs to know about the stack it is part of. */
export interface StackContext {
  layout: StackLayout;
  host: string;
  ports: StackPorts;
  secrets: StackSecrets;
  /** GOMEET_API_DELAY_MS handed to the api process (the fault knob); 0 = none. */
  apiDelayMs: number;
  onProgress: ProgressLog;
}

export interface Component {
  name: string;
  /** Components that must be ready before this one starts (everything else starts in parallel). */
  dependsOn: string[];
  /** Ports it listens on: checked free before it starts, shown by `status`. */
  ports(ctx: StackContext): PortNeed[];
  /** A substring of its command line: a pidfile whose pid now runs something else is stale. */
  processMarker: string;
  /** Seconds to wait for `healthy` after start before failing with the log's tail. Generous on
   *  purpose: only a failure waits this long, and on a shared 2-core machine under load (load
   *  average 20+ seen) four signaling workers loading TypeScript took over a minute. */
  readyTimeoutSec: number;
  /** Why it cannot be started here (e.g. its code or binary is absent), or null. */
  unavailable?(ctx: StackContext): Promise<string | null>;
  /** Writes config, prepares data dirs, spawns the process; returns its pid. */
  start(ctx: StackContext): Promise<number>;
  /** True when it serves (a TCP/HTTP probe). */
  healthy(ctx: StackContext): Promise<boolean>;
  /** Runs once it is healthy after a start (create database, …); may return a note to print. */
  afterReady?(ctx: StackContext): Promise<string | void>;
  /** Graceful stop of a running pid; default: SIGTERM to its process group, SIGKILL after 10 s. */
  stop?(ctx: StackContext, pid: number): Promise<void>;
}

export function tcp(port: number, component: string): PortNeed {
  return { port, protocol: 'tcp', component };
}

export function udp(port: number, component: string): PortNeed {
  return { port, protocol: 'udp', component };
}

/** `127.0.0.1:port,port/udp,…` — how progress and status lines show where a component listens. */
export function formatPorts(c: Component, ctx: StackContext): string {
  const ports = c.ports(ctx).map((p) => `${p.port}${p.protocol === 'udp' ? '/udp' : ''}`);
  return ports.length > 0 ? `${ctx.host}:${ports.join(',')}` : 'no host ports';
}
