/**
 * Where the rooms can run for this target. Bots and browsers must sit next to the SFU, in a network
 * namespace with only `lo` (media/README.md: WebRTC stacks skip loopback and would use this
 * machine's other address, which is not a permitted target):
 *
 *  - the local stack runs livekit-server in `gomeet-media`, listening inside it on the same port as
 *    the host-side bridge of target.livekit.url — so that namespace and URL are the lab;
 *  - a target file of environment `local` whose LiveKit URL is on 127.x is used the same way when
 *    a livekit-server answers on that port inside `gomeet-media` (the local stack's own target file);
 *  - anything else (a cluster) has no lab here: the media rows are not measured, and the note says
 *    why, rather than sending WebRTC from this machine across a network.
 */
import { $ } from 'zx';
import type { Target } from '../../../lib/config/target.ts';
import { inNetns, listNetns, MEDIA_NETNS } from '../../clients/netns.ts';
import type { MediaLabLocation } from './run-room.ts';

export type LabLookup = { lab: MediaLabLocation } | { missing: string };

export const NO_LAB_NOTE =
  'media rows need the media lab next to the SFU (bots and browsers in a network namespace with livekit-server); ' +
  'this target has none on this machine, so nothing real-WebRTC was sent';

/** ws://127.0.0.1:<port> from the target's LiveKit URL, or undefined when it is not on loopback. */
export function loopbackLivekitUrl(target: Target): string | undefined {
  const u = new URL(target.livekit.url);
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(u.hostname)) return undefined;
  const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
  return `ws://127.0.0.1:${port}`;
}

/** livekit-server answers `GET /` with OK inside the namespace (bounded: 5 s). */
export async function livekitAnswersInNetns(netns: string, livekitUrl: string): Promise<boolean> {
  const http = livekitUrl.replace(/^ws/, 'http');
  // Node is the one client sure to be there; the URL is ours (validated above), not operator text.
  const probe = `fetch(${JSON.stringify(`${http}/`)},{signal:AbortSignal.timeout(4000)}).then(r=>r.text()).then(t=>process.exit(t.trim()==='OK'?0:1),()=>process.exit(1))`;
  const out = await $({ quiet: true, nothrow: true, timeout: '5s' })`${inNetns(netns, [process.execPath, '-e', probe])}`;
  return out.exitCode === 0;
}

export interface LocateOptions {
  /** The target is the local stack `run` brought up or reused. */
  localStack: boolean;
  /** The namespace to look in (default the local stack's, gomeet-media; tests use their own). */
  netns?: string;
}

export async function locateMediaLab(target: Target, opts: LocateOptions): Promise<LabLookup> {
  const netns = opts.netns ?? MEDIA_NETNS;
  const url = loopbackLivekitUrl(target);
  if (!opts.localStack && (target.environment !== 'local' || !url)) return { missing: NO_LAB_NOTE };
  if (!url) return { missing: `${NO_LAB_NOTE} (livekit.url ${target.livekit.url} is not on 127.0.0.0/8)` };
  if (!(await listNetns()).includes(netns)) {
    return { missing: `${NO_LAB_NOTE}: namespace ${netns} does not exist (gomeet-capacity stack up creates it)` };
  }
  if (!(await livekitAnswersInNetns(netns, url))) {
    return { missing: `${NO_LAB_NOTE}: no livekit-server answers ${url} inside namespace ${netns} (gomeet-capacity stack down && stack up)` };
  }
  return { lab: { netns, livekitUrl: url } };
}
