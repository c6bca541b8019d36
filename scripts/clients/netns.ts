/**
 * The media lab's network namespace: every `ip netns` command line of the suite is in this file.
 *
 * Why a namespace: WebRTC stacks (libwebrtc, pion, werift) skip loopback interfaces when they gather
 * candidates and would send media over this machine's other address, which is not a permitted
 * target. A namespace that holds only `lo` leaves them nothing but 127.0.0.1 — inside it, 127.0.0.1 is
 * the namespace's own loopback, so livekit-server, bots and browsers all run in there together.
 * The host reaches the TCP ports in there through unix-socket bridges (scripts/clients/socat.ts).
 *
 * Needs root (CAP_SYS_ADMIN): `requireRoot()` says so in one line before anything is tried.
 */
import { $ } from 'zx';
import { UsageError } from '../exit-codes.ts';

/** The namespace the local stack's media lab uses. Tests use their own name so they never clash. */
export const MEDIA_NETNS = 'gomeet-media';

/** Names `ip netns` accepts and that are safe to put on a command line. */
const NETNS_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

function checkName(name: string): void {
  if (!NETNS_NAME.test(name)) throw new UsageError(`network namespace name ${JSON.stringify(name)} must match ${NETNS_NAME}`);
}

/** Throws a one-line UsageError unless this process runs as root (ip netns add/exec need it). */
export function requireRoot(what = 'the media lab'): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new UsageError(`${what} needs root to create the network namespace (run as root, e.g. sudo -E npm start)`);
  }
}

/** Names of the namespaces that exist now. */
export async function listNetns(): Promise<string[]> {
  const out = await $({ quiet: true, nothrow: true })`ip netns list`;
  if (out.exitCode !== 0) return [];
  // Lines look like `gomeet-media` or `gomeet-media (id: 3)`.
  return out.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/**
 * Creates the namespace if it is missing and brings `lo` up (idempotent). Afterwards checks the
 * namespace holds only `lo`, so a leftover veth from someone's experiment can't give media a way out.
 */
export async function ensureNetns(name = MEDIA_NETNS): Promise<void> {
  checkName(name);
  requireRoot();
  if (!(await listNetns()).includes(name)) {
    const add = await $({ quiet: true, nothrow: true })`ip netns add ${name}`;
    // A concurrent creator may have won the race; only a still-missing namespace is an error.
    if (add.exitCode !== 0 && !(await listNetns()).includes(name)) {
      throw new UsageError(`ip netns add ${name} failed: ${add.stderr.trim()}`);
    }
  }
  const up = await $({ quiet: true, nothrow: true })`ip netns exec ${name} ip link set lo up`;
  if (up.exitCode !== 0) throw new UsageError(`bringing lo up in namespace ${name} failed: ${up.stderr.trim()}`);
  const links = await netnsLinks(name);
  const others = links.filter((l) => l !== 'lo');
  if (others.length > 0) {
    throw new UsageError(`namespace ${name} has interfaces other than lo (${others.join(', ')}); media could leave loopback — delete it: ip netns del ${name}`);
  }
}

/** Interface names inside the namespace. */
export async function netnsLinks(name = MEDIA_NETNS): Promise<string[]> {
  checkName(name);
  const out = await $({ quiet: true })`ip netns exec ${name} ip -o link show`;
  // `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 ...`
  return out.stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n));
}

/** Deletes the namespace (no error when it is already gone). Processes still inside keep running
 *  in a namespace without a name, so callers stop their processes first. */
export async function destroyNetns(name = MEDIA_NETNS): Promise<void> {
  checkName(name);
  if (!(await listNetns()).includes(name)) return;
  const del = await $({ quiet: true, nothrow: true })`ip netns del ${name}`;
  if (del.exitCode !== 0 && (await listNetns()).includes(name)) {
    throw new Error(`ip netns del ${name} failed: ${del.stderr.trim()}`);
  }
}

/** The argv that runs `argv` inside the namespace: hand it to spawn/execa/zx. */
export function inNetns(name: string, argv: readonly string[]): string[] {
  checkName(name);
  if (argv.length === 0) throw new Error('inNetns: empty command');
  return ['ip', 'netns', 'exec', name, ...argv];
}
