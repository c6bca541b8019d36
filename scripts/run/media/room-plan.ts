/**
 * The sfu-room scenario as a plan: from the profile's `sfu` section to the bot run (media/runner)
 * and the probe plan (media/probe) that fill the same rooms, and how long all of it may take.
 *
 *   rooms      `<runId>-<i>`: fresh per run, so nobody else's participants are in them
 *   bots       publishers first, then subscribers at the join rate; they hold holdSec after the
 *              last join (the room is full for that long)
 *   probes     launched at the same moment; browsers take tens of seconds to be in, so each
 *              subscriber measures holdSec − PROBE_START_ALLOWANCE_SEC from its first frame, which
 *              ends before the bots leave when the probes start within the allowance
 *   subscriber probe i reads probe publisher i mod P of its room; subscriber 0 asks the high layer
 *              (the speaker tile), the others the low layer (filmstrip tiles)
 *
 * Pure: unit-tested, and the same plan is what `run --plan` sizes.
 */
import type { SfuLoad } from '../../../lib/profiles.ts';
import { DEFAULT_VIDEO } from '../../../media/probe/page-api.ts';
import type { ProbePlan, ProbeSpec } from '../../../media/probe/plan.ts';
import { probeScenarioBoundSec } from '../../../media/probe/plan.ts';
import { planBots, roomName, runEndMs, validateConfig, type BotRunConfig } from '../../../media/runner/plan.ts';

/** Seconds the probes are given to launch their browsers, load the page and be in the room (measured:
 *  up to ~30 s for four Chromiums on a busy 2-core machine, media/probe/README.md). */
export const PROBE_START_ALLOWANCE_SEC = 30;
/** A probe subscriber measures at least this long (its latency warm-up comes out of it). */
export const MIN_PROBE_MEASURE_SEC = 20;
/** Bots per worker process before another is started (at most one per core). Measured: one worker
 *  with 14 bots stalled (p99 0.7 s) through the whole smoke room; two with 7 each did not. */
export const BOTS_PER_WORKER = 8;
/** Seconds a probe may take to connect, and then to see its first frame. */
export const PROBE_CONNECT_TIMEOUT_SEC = 45;

export interface SfuRoomPlan {
  rooms: string[];
  bots: BotRunConfig;
  /** Without pageUrl (run-probes.ts serves the page and fills it in). */
  probes: Omit<ProbePlan, 'pageUrl'>;
  /** Participants the rooms hold, bots + probes. */
  participants: number;
  /** Seconds from the start until the bots leave (last join + hold). */
  botsEndSec: number;
  /** Upper bound on the whole step's wall time (bots' and probes' own bounds, whichever is later). */
  boundSec: number;
}

export interface RoomPlanInput {
  runId: string;
  sfu: SfuLoad;
  /** LiveKit URL as seen inside the media lab (ws://127.0.0.1:<port>). */
  livekitUrl: string;
  /** Cores the bots may use (worker processes; default 2). */
  cores?: number;
}

/** What is wrong with an sfu section, or null. The four counts must add up to participantsPerRoom. */
export function validateSfuLoad(sfu: SfuLoad): string | null {
  const ints: (keyof SfuLoad)[] = ['rooms', 'participantsPerRoom', 'probePublishersPerRoom', 'probeSubscribersPerRoom', 'botPublishersPerRoom', 'botSubscribersPerRoom'];
  for (const k of ints) {
    const v = sfu[k] as number;
    if (!Number.isInteger(v) || v < 0) return `sfu.${k} must be an integer ≥ 0, got ${v}`;
  }
  if (sfu.rooms < 1) return 'sfu.rooms must be ≥ 1';
  const sum = sfu.probePublishersPerRoom + sfu.probeSubscribersPerRoom + sfu.botPublishersPerRoom + sfu.botSubscribersPerRoom;
  if (sum !== sfu.participantsPerRoom) {
    return `sfu: probe publishers + probe subscribers + bot publishers + bot subscribers = ${sum}, not participantsPerRoom ${sfu.participantsPerRoom}`;
  }
  if (sfu.probeSubscribersPerRoom > 0 && sfu.probePublishersPerRoom === 0) return 'sfu: probe subscribers need a probe publisher to read (bots draw no clock)';
  if (sfu.probeSubscribersPerRoom === 0) return 'sfu: no probe subscriber, so no video latency is measured';
  if (sfu.botPublishersPerRoom + sfu.botSubscribersPerRoom === 0) return 'sfu: no bots, so no room bandwidth or joins are measured';
  if (!(sfu.holdSec - PROBE_START_ALLOWANCE_SEC >= MIN_PROBE_MEASURE_SEC)) {
    return `sfu.holdSec must be ≥ ${PROBE_START_ALLOWANCE_SEC + MIN_PROBE_MEASURE_SEC} (probes start within ${PROBE_START_ALLOWANCE_SEC} s, then measure ≥ ${MIN_PROBE_MEASURE_SEC} s), got ${sfu.holdSec}`;
  }
  if (!(sfu.probeFps >= 5 && sfu.probeFps <= 60)) return `sfu.probeFps must be 5..60, got ${sfu.probeFps}`;
  return null;
}

/** Room names LiveKit and the bot runner accept: the run id, trimmed to the runner's 40 characters. */
export function roomPrefixOf(runId: string): string {
  const safe = runId.replace(/[^A-Za-z0-9_-]/g, '-');
  return safe.slice(Math.max(0, safe.length - 36)) || 'sfu';
}

export function probeSpecs(sfu: SfuLoad, rooms: readonly string[]): ProbeSpec[] {
  const specs: ProbeSpec[] = [];
  for (const room of rooms) {
    const pubs = Array.from({ length: sfu.probePublishersPerRoom }, (_, n): ProbeSpec => ({ identity: `${room}-probe-pub-${n}`, room, role: 'publisher' }));
    specs.push(...pubs);
    for (let n = 0; n < sfu.probeSubscribersPerRoom; n++) {
      const watched = pubs[n % pubs.length]!;
      // As a speaker layout shows it: one tile at the high layer (the speaker), the rest low.
      specs.push({ identity: `${room}-probe-sub-${n}`, room, role: 'subscriber', watch: watched.identity, layer: n === 0 ? 'high' : 'low' });
    }
  }
  return specs;
}

export function planSfuRoom(input: RoomPlanInput): SfuRoomPlan {
  const { sfu } = input;
  const problem = validateSfuLoad(sfu);
  if (problem) throw new Error(problem);
  const roomPrefix = roomPrefixOf(input.runId);
  const rooms = Array.from({ length: sfu.rooms }, (_, i) => roomName({ roomPrefix }, i));
  const botCount = sfu.rooms * (sfu.botPublishersPerRoom + sfu.botSubscribersPerRoom);
  const bots: BotRunConfig = {
    url: input.livekitUrl,
    rooms: sfu.rooms,
    roomPrefix,
    publishersPerRoom: sfu.botPublishersPerRoom,
    subscribersPerRoom: sfu.botSubscribersPerRoom,
    layout: sfu.layout,
    publisherMedia: 'speaker-and-filmstrip',
    subscriberTransportCc: true,
    joinRatePerSec: sfu.joinRatePerSec,
    holdSec: sfu.holdSec,
    statsIntervalSec: 5,
    workers: Math.max(1, Math.min(input.cores ?? 2, Math.ceil(botCount / BOTS_PER_WORKER))),
    joinTimeoutMs: 15_000,
    iceTimeoutMs: 20_000,
  };
  const botProblem = validateConfig(bots);
  if (botProblem) throw new Error(`sfu: ${botProblem}`);
  const probes: Omit<ProbePlan, 'pageUrl'> = {
    runId: input.runId,
    livekitUrl: input.livekitUrl,
    durationSec: sfu.holdSec - PROBE_START_ALLOWANCE_SEC,
    connectTimeoutSec: PROBE_CONNECT_TIMEOUT_SEC,
    sampleIntervalSec: 1,
    publisherLingerSec: 3,
    launchStaggerSec: 1,
    video: { ...DEFAULT_VIDEO, fps: sfu.probeFps },
    probes: probeSpecs(sfu, rooms),
  };
  const botsEndSec = runEndMs(bots, planBots(bots, input.runId)) / 1000;
  // Bots: workers load (≤ 60 s), run, exit grace (15 s) and the runner's kill margin (5 s).
  // Probes: the scenario's own bound, k6's graceful stop and summary (run-probes.ts).
  const boundSec = Math.ceil(Math.max(60 + botsEndSec + 20, probeScenarioBoundSec(probes) + 15 + 60));
  return { rooms, bots, probes, participants: sfu.rooms * sfu.participantsPerRoom, botsEndSec, boundSec };
}
