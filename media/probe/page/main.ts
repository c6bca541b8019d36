/**
 * The probe page's entry: installs `window.gomeetProbe` (see ../page-api.ts) and nothing else runs
 * until the driver calls start() with the room, the token and the role.
 *
 * Before connecting, the page checks it holds camera permission: Chromium offers host candidates —
 * here 127.0.0.1, with --allow-loopback-in-peer-connection — only to a page with media permission;
 * without it the page would gather no candidate at all in a lo-only namespace and ICE would time out.
 * --use-fake-ui-for-media-stream grants it (test/integration/probe/loopback-candidates.test.ts shows
 * all three cases); no camera is opened.
 */
import { LogLevel, Room, RoomEvent, setLogLevel } from 'livekit-client';
import { redactSecrets } from '../redact.ts';
import { PROBE_GLOBAL, type ProbeDrain, type ProbePageApi, type ProbeStartConfig, type ProbeStarted } from '../page-api.ts';
import {
  inboundInterval,
  inboundVideo,
  outboundInterval,
  outboundVideo,
  selectedPair,
  type InboundVideoCounters,
  type OutboundLayerCounters,
  type SelectedPair,
  type StatsEntry,
} from '../stats-digest.ts';
import { CanvasPublisher } from './publisher.ts';
import { ClockSubscriber } from './subscriber.ts';

// The page's console ends up in k6's log (k6 browser forwards it). livekit-client's info logs are
// noise there; and its errors can quote a token (livekit-server answers a bad one with
// "invalid token: <token>"), so every console argument is redacted on its way out.
setLogLevel(LogLevel.warn);
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => original(...args.map(redactArg));
}

function redactArg(arg: unknown): string {
  if (typeof arg === 'string') return redactSecrets(arg);
  if (arg instanceof Error) return redactSecrets(arg.stack ?? arg.message);
  try {
    return redactSecrets(JSON.stringify(arg) ?? String(arg));
  } catch {
    return redactSecrets(String(arg));
  }
}

let room: Room | undefined;
let config: ProbeStartConfig | undefined;
let publisher: CanvasPublisher | undefined;
let subscriber: ClockSubscriber | undefined;
let errors: string[] = [];
let lastInbound: InboundVideoCounters | undefined;
let lastOutbound: OutboundLayerCounters[] = [];
let lastDrainMs = Date.now();
let lastPair: SelectedPair | undefined;

function recordError(message: string): void {
  // Bounded: a page that fails every frame must not grow without end between drains.
  if (errors.length < 50) errors.push(redactSecrets(message));
}

function entries(report: RTCStatsReport | undefined): StatsEntry[] {
  return report ? ([...report.values()] as StatsEntry[]) : [];
}

async function requireMediaPermission(): Promise<void> {
  const state = (await navigator.permissions.query({ name: 'camera' as PermissionName })).state;
  if (state !== 'granted') {
    throw new Error(`camera permission is '${state}': Chromium would offer no ICE candidate (launch it with --use-fake-ui-for-media-stream)`);
  }
}

async function start(cfg: ProbeStartConfig): Promise<ProbeStarted> {
  if (room) throw new Error('probe already started');
  config = cfg;
  const t0 = Date.now();
  await requireMediaPermission();
  const permissionMs = Date.now() - t0;
  room = new Room({ adaptiveStream: false, dynacast: false });
  room.on(RoomEvent.Disconnected, (reason) => recordError(`disconnected (reason ${String(reason)})`));
  if (cfg.role === 'subscriber') subscriber = new ClockSubscriber(room, cfg.layer, cfg.watch ?? [], recordError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`room connection not up within ${cfg.connectTimeoutMs} ms`)), cfg.connectTimeoutMs);
  });
  try {
    // Subscriptions are explicit (ClockSubscriber.choose): one video, never the room's every track.
    await Promise.race([room.connect(cfg.livekitUrl, cfg.token, { autoSubscribe: false }), timeout]);
  } finally {
    clearTimeout(timer);
  }
  const connectedAtMs = Date.now();
  subscriber?.choose();
  if (cfg.role === 'publisher') {
    publisher = new CanvasPublisher(room, cfg.video);
    await publisher.start();
  }
  lastDrainMs = Date.now();
  return { connectedAtMs, connectMs: connectedAtMs - t0, permissionMs, identity: room.localParticipant.identity, room: room.name };
}

async function drain(): Promise<ProbeDrain> {
  const atMs = Date.now();
  const role = config?.role ?? 'subscriber';
  const out: ProbeDrain = {
    role,
    atMs,
    connectionState: room?.state ?? 'not-started',
    pair: undefined,
    participants: room ? [...room.remoteParticipants.values()].map((p) => p.identity) : [],
    subscribed: subscriber?.subscribed ?? false,
    latencyMs: [],
    framesRead: 0,
    readFailures: { ambiguous: 0, checksum: 0, implausible: 0 },
    inbound: undefined,
    framesDrawn: publisher?.takeFramesDrawn() ?? 0,
    outbound: undefined,
    errors,
  };
  errors = [];
  try {
    if (subscriber) {
      Object.assign(out, subscriber.take());
      const stats = entries(await subscriber.stats());
      const cur = inboundVideo(stats);
      if (cur) {
        out.inbound = inboundInterval(lastInbound, cur, lastDrainMs);
        lastInbound = cur;
      }
      out.pair = selectedPair(stats) ?? lastPair;
    }
    if (publisher) {
      const stats = entries(await publisher.stats());
      const cur = outboundVideo(stats);
      if (cur.length > 0) {
        out.outbound = outboundInterval(lastOutbound, cur, lastDrainMs);
        lastOutbound = cur;
      }
      out.pair = selectedPair(stats) ?? lastPair;
    }
  } catch (err) {
    out.errors.push(`getStats: ${String(err)}`);
  }
  lastPair = out.pair;
  lastDrainMs = atMs;
  return out;
}

async function stop(): Promise<void> {
  publisher?.stop();
  subscriber?.stop();
  await room?.disconnect();
}

async function rawStats(): Promise<Record<string, unknown>[]> {
  const report = (await publisher?.stats()) ?? (await subscriber?.stats());
  return entries(report);
}

const api: ProbePageApi = { start, drain, stop, rawStats };
(window as unknown as Record<string, unknown>)[PROBE_GLOBAL] = api;
