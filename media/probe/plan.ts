/**
 * The probe plan: what the k6 browser scenario (scenarios/sfu-probes.ts) does, handed over as JSON
 * in GOMEET_PROBE_PLAN. One entry per probe; VU n runs probes[n-1]. Tokens are secrets and travel
 * apart, in GOMEET_PROBE_TOKENS (JSON: identity → token), never in the plan.
 *
 * Pure: written by Node (media/probe/run-probes.ts), read in k6, validated here for both.
 */
import { DEFAULT_VIDEO, type ProbeLayer, type ProbeRole, type ProbeVideo } from './page-api.ts';

export const PROBE_PLAN_ENV = 'GOMEET_PROBE_PLAN';
export const PROBE_TOKENS_ENV = 'GOMEET_PROBE_TOKENS';

export interface ProbeSpec {
  /** Participant identity; also the `probe` tag of its metrics (not secret). */
  identity: string;
  /** LiveKit room name; the `room` tag. */
  room: string;
  role: ProbeRole;
  /** Signaling URL this probe uses; defaults to the plan's livekitUrl (an impaired path has its own). */
  livekitUrl?: string;
  /** Subscriber: simulcast layer asked for (default 'high'). */
  layer?: ProbeLayer;
  /** Subscriber: the publisher identity whose camera it reads (default: the plan's publishers in
   *  its room, in plan order; bots' video carries no clock, so never "anyone's" by default). */
  watch?: string;
  /** Free-form label for reports, e.g. 'direct' or 'relay+200ms'; the `path` tag (default 'direct'). */
  path?: string;
}

export interface ProbePlan {
  /** Tags every sample (`run_id`). */
  runId: string;
  /** The probe page, served inside the media namespace: http://127.0.0.1:<port>/ */
  pageUrl: string;
  /** LiveKit signaling URL, ws://127.0.0.1:<port>. */
  livekitUrl: string;
  /** Seconds each probe stays in its room once connected (subscribers measure for this long). */
  durationSec: number;
  /** Seconds a probe may take to connect (and a subscriber to receive its first frame) before it fails. */
  connectTimeoutSec: number;
  /** Seconds between two drains of a page into k6 metrics (default 1). */
  sampleIntervalSec: number;
  /** Extra seconds publishers stay after durationSec, so subscribers that joined late still see video. */
  publisherLingerSec: number;
  /** Seconds between two probes' browser launches (default 1): launches on 2 cores don't pile up, and
   *  browsers start in probe order, which is how the resource sampler tells them apart. */
  launchStaggerSec: number;
  video: ProbeVideo;
  probes: ProbeSpec[];
}

export class ProbePlanError extends Error {
  override name = 'ProbePlanError';
}

type Json = Record<string, unknown>;

function need<T>(ok: boolean, path: string, what: string, v: T): T {
  if (!ok) throw new ProbePlanError(`${path}: ${what}`);
  return v;
}
const str = (o: Json, k: string, p: string): string => need(typeof o[k] === 'string' && (o[k] as string).length > 0, `${p}.${k}`, 'must be a non-empty string', o[k] as string);
const posNum = (o: Json, k: string, p: string, fallback?: number): number => {
  const v = o[k] ?? fallback;
  return need(typeof v === 'number' && Number.isFinite(v) && v > 0, `${p}.${k}`, 'must be a number > 0', v as number);
};
const nonNeg = (o: Json, k: string, fallback: number): number => {
  const v = o[k] ?? fallback;
  return need(typeof v === 'number' && Number.isFinite(v) && v >= 0, `plan.${k}`, 'must be a number >= 0', v as number);
};
const loopbackUrl = (o: Json, k: string, p: string, schemes: string[]): string => {
  const s = str(o, k, p);
  const m = /^([a-z]+):\/\/([^/:?#]+)/i.exec(s);
  need(!!m && schemes.includes((m[1] as string).toLowerCase()), `${p}.${k}`, `must be a ${schemes.join(' or ')} URL`, s);
  // The media lab is loopback-only: a probe page or SFU anywhere else is refused before any load.
  return need(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test((m as RegExpExecArray)[2] as string), `${p}.${k}`, 'must point at a 127.x address', s);
};

export function parseProbePlan(json: string | undefined): ProbePlan {
  if (!json) throw new ProbePlanError(`${PROBE_PLAN_ENV} is not set`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ProbePlanError(`${PROBE_PLAN_ENV} is not JSON: ${String(err)}`);
  }
  const o = need(typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'plan', 'must be an object', raw as Json);
  const v = (o.video ?? {}) as Json;
  const video: ProbeVideo = {
    width: posNum(v, 'width', 'plan.video', DEFAULT_VIDEO.width),
    height: posNum(v, 'height', 'plan.video', DEFAULT_VIDEO.height),
    fps: posNum(v, 'fps', 'plan.video', DEFAULT_VIDEO.fps),
    maxBitrateKbps: posNum(v, 'maxBitrateKbps', 'plan.video', DEFAULT_VIDEO.maxBitrateKbps),
    simulcast: typeof v.simulcast === 'boolean' ? v.simulcast : DEFAULT_VIDEO.simulcast,
  };
  const probesRaw = need(Array.isArray(o.probes) && o.probes.length > 0, 'plan.probes', 'must be a non-empty array', o.probes as unknown[]);
  const seen = new Set<string>();
  const probes = probesRaw.map((p, i): ProbeSpec => {
    const path = `plan.probes[${i}]`;
    const po = need(typeof p === 'object' && p !== null, path, 'must be an object', p as Json);
    const identity = str(po, 'identity', path);
    need(!seen.has(identity), `${path}.identity`, `duplicate identity ${identity}`, 0);
    seen.add(identity);
    const role = need(po.role === 'publisher' || po.role === 'subscriber', `${path}.role`, "must be 'publisher' or 'subscriber'", po.role as ProbeRole);
    const layer = po.layer === undefined ? undefined : need(['high', 'medium', 'low'].includes(po.layer as string), `${path}.layer`, "must be 'high', 'medium' or 'low'", po.layer as ProbeLayer);
    return {
      identity,
      room: str(po, 'room', path),
      role,
      ...(po.livekitUrl !== undefined ? { livekitUrl: loopbackUrl(po, 'livekitUrl', path, ['ws', 'wss']) } : {}),
      ...(layer ? { layer } : {}),
      ...(po.path !== undefined ? { path: str(po, 'path', path) } : {}),
      ...(po.watch !== undefined ? { watch: str(po, 'watch', path) } : {}),
    };
  });
  return {
    runId: str(o, 'runId', 'plan'),
    pageUrl: loopbackUrl(o, 'pageUrl', 'plan', ['http']),
    livekitUrl: loopbackUrl(o, 'livekitUrl', 'plan', ['ws', 'wss']),
    durationSec: posNum(o, 'durationSec', 'plan'),
    connectTimeoutSec: posNum(o, 'connectTimeoutSec', 'plan', 20),
    sampleIntervalSec: posNum(o, 'sampleIntervalSec', 'plan', 1),
    publisherLingerSec: nonNeg(o, 'publisherLingerSec', 3),
    launchStaggerSec: nonNeg(o, 'launchStaggerSec', 1),
    video,
    probes,
  };
}

/** Tokens by identity from GOMEET_PROBE_TOKENS; throws naming the identity that has none. */
export function parseProbeTokens(json: string | undefined, plan: ProbePlan): Record<string, string> {
  if (!json) throw new ProbePlanError(`${PROBE_TOKENS_ENV} is not set`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    // Never echo the value: it holds tokens.
    throw new ProbePlanError(`${PROBE_TOKENS_ENV} is not JSON`);
  }
  const tokens = need(typeof raw === 'object' && raw !== null, PROBE_TOKENS_ENV, 'must be an object', raw as Record<string, unknown>);
  for (const p of plan.probes) {
    need(typeof tokens[p.identity] === 'string', PROBE_TOKENS_ENV, `has no token for ${p.identity}`, 0);
  }
  return tokens as Record<string, string>;
}

/** Subscribers of the plan that read `publisher`'s video (see watchedPublishers). */
export function watchersOf(plan: Pick<ProbePlan, 'probes'>, publisher: ProbeSpec): string[] {
  return plan.probes.filter((p) => p.role === 'subscriber' && watchedPublishers(plan, p).includes(publisher.identity)).map((p) => p.identity);
}

/** Seconds a browser may take to launch and load the probe page: not what a probe measures, and on
 *  a busy machine much slower than a room connect, so not tied to connectTimeoutSec. */
export function pageLoadTimeoutSec(plan: Pick<ProbePlan, 'connectTimeoutSec'>): number {
  return Math.max(60, plan.connectTimeoutSec);
}

/** Seconds the sfu-probes scenario may run (its maxDuration): browser launches one after another,
 *  then per probe the page load, up to connectTimeoutSec each for connect and first video (a
 *  publisher may wait that long for late subscribers instead), the duration, the linger, and 30 s
 *  to tear down. */
export function probeScenarioBoundSec(plan: Pick<ProbePlan, 'launchStaggerSec' | 'probes' | 'connectTimeoutSec' | 'durationSec' | 'publisherLingerSec'>): number {
  return 30 + plan.launchStaggerSec * plan.probes.length + pageLoadTimeoutSec(plan) + plan.connectTimeoutSec * 2 + plan.durationSec + plan.publisherLingerSec;
}

/** Whose camera a subscriber reads: its own `watch`, else the plan's publishers in its room. */
export function watchedPublishers(plan: Pick<ProbePlan, 'probes'>, spec: ProbeSpec): string[] {
  if (spec.watch) return [spec.watch];
  return plan.probes.filter((p) => p.role === 'publisher' && p.room === spec.room).map((p) => p.identity);
}
