/**
 * One browser probe, start to end, in a k6 browser VU: open the probe page (served inside the media
 * namespace), start it with its role and token, drain it into k6 metrics every sampleIntervalSec
 * until media/probe/probe-timeline.ts says it is done (a subscriber: durationSec after its first
 * frame; a publisher: until its subscribers are through), then leave the room and close the page.
 * Bounded: every step has a timeout and the timeline a hard end.
 *
 * Failures (reason tag on gomeet_probe_failures): `page_error` (page did not load), `connect`
 * (room connection not up in time), `no_video` (no frame within connectTimeoutSec),
 * `disconnected`, `non_loopback_pair` (media selected a pair outside 127.0.0.0/8 — this one also
 * marks the whole test failed: the run broke the loopback-only rule and must not pass).
 */
import { browser, type Page } from 'k6/browser';
import exec from 'k6/execution';
import { setTimeout } from 'k6/timers';
import { PROBE_GLOBAL, type ProbeDrain, type ProbeStartConfig, type ProbeStarted } from '../../../media/probe/page-api.ts';
import { pageLoadTimeoutSec, watchedPublishers, watchersOf, type ProbePlan, type ProbeSpec } from '../../../media/probe/plan.ts';
import { nextStep, type ProbeProgress } from '../../../media/probe/probe-timeline.ts';
import { redactSecrets } from '../../../media/probe/redact.ts';
import * as m from './probe-metrics.ts';

type Tags = Record<string, string>;

class ProbeFailure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Page-side calls. They are serialized into the page, so they use only their argument. */
async function startPage(page: Page, cfg: ProbeStartConfig): Promise<ProbeStarted> {
  return page.evaluate(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (arg: { g: string; cfg: ProbeStartConfig }) => (globalThis as any)[arg.g].start(arg.cfg) as Promise<ProbeStarted>,
    { g: PROBE_GLOBAL, cfg },
  );
}
async function drainPage(page: Page): Promise<ProbeDrain> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.evaluate((g: string) => (globalThis as any)[g].drain() as Promise<ProbeDrain>, PROBE_GLOBAL);
}
async function stopPage(page: Page): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await page.evaluate((g: string) => (globalThis as any)[g].stop() as Promise<void>, PROBE_GLOBAL);
}

/** Pushes one drain into the k6 metrics. */
export function recordDrain(d: ProbeDrain, tags: Tags): void {
  for (const ms of d.latencyMs) m.videoLatencyMs.add(ms, tags);
  if (d.role === 'subscriber') {
    m.probeFramesRead.add(d.framesRead, tags);
    for (const [reason, n] of Object.entries(d.readFailures)) if (n > 0) m.probeReadsDropped.add(n, { ...tags, reason });
  }
  if (d.inbound) {
    const i = d.inbound;
    m.probeInboundKbps.add(i.kbps, tags);
    m.probeFps.add(i.fps, tags);
    if (i.frameHeight !== undefined) m.probeFrameHeight.add(i.frameHeight, tags);
    // Zero is an observation too: a run with no freeze must say 0, not "no data".
    m.probeFreezes.add(i.freezes, tags);
    m.probeJitterMs.add(i.jitterMs, tags);
    if (i.jitterBufferMs !== undefined) m.probeJitterBufferMs.add(i.jitterBufferMs, tags);
    m.probePacketsReceived.add(i.packetsReceived, tags);
    m.probePacketsLost.add(i.packetsLost, tags);
  }
  if (d.outbound) {
    m.probeOutboundKbps.add(d.outbound.kbps, tags);
    m.probeFps.add(d.outbound.fps, tags);
    const top = d.outbound.layers.find((l) => l.kbps > 0);
    if (top?.frameHeight !== undefined) m.probeFrameHeight.add(top.frameHeight, tags);
  }
  if (d.pair) {
    m.probeLoopbackPair.add(d.pair.loopbackOnly, {
      ...tags,
      local_address: d.pair.local.address,
      remote_address: d.pair.remote.address,
      protocol: d.pair.local.protocol,
      local_type: d.pair.local.candidateType,
      remote_type: d.pair.remote.candidateType,
    });
    if (d.pair.currentRttMs !== undefined) m.probeRttMs.add(d.pair.currentRttMs, tags);
  }
}

function pairText(d: ProbeDrain): string {
  const p = d.pair;
  return p ? `${p.local.address}:${p.local.port}/${p.local.protocol} ${p.local.candidateType} ↔ ${p.remote.address}:${p.remote.port} ${p.remote.candidateType}` : 'none';
}

/** Runs one probe; never throws (a failure is counted and logged), so other VUs carry on. */
export async function runProbe(plan: ProbePlan, spec: ProbeSpec, token: string): Promise<void> {
  const tags: Tags = { room: spec.room, role: spec.role, probe: spec.identity, path: spec.path ?? 'direct' };
  const context = await browser.newContext();
  const page = await context.newPage();
  let started = false;
  try {
    try {
      await page.goto(plan.pageUrl, { waitUntil: 'load', timeout: pageLoadTimeoutSec(plan) * 1000 });
    } catch (err) {
      throw new ProbeFailure('page_error', `probe page did not load: ${String(err)}`);
    }
    const cfg: ProbeStartConfig = {
      role: spec.role,
      livekitUrl: spec.livekitUrl ?? plan.livekitUrl,
      token,
      video: plan.video,
      layer: spec.layer ?? 'high',
      watch: watchedPublishers(plan, spec),
      connectTimeoutMs: plan.connectTimeoutSec * 1000,
    };
    let info: ProbeStarted;
    try {
      info = await startPage(page, cfg);
    } catch (err) {
      // Redacted before cutting: a cut token would no longer match the token itself.
      throw new ProbeFailure('connect', `could not join room ${spec.room}: ${redactSecrets(String(err), [token]).slice(0, 300)}`);
    }
    started = true;
    m.probeConnectMs.add(info.connectMs, tags);
    console.log(`probe ${spec.identity} (${spec.role}) in room ${info.room} after ${info.connectMs} ms (media permission ${info.permissionMs} ms)`);
    const watchers = spec.role === 'publisher' ? watchersOf(plan, spec) : [];
    const seen = new Set<string>();
    const progress: ProbeProgress = {
      role: spec.role,
      connectedAtMs: info.connectedAtMs,
      firstVideoAtMs: undefined,
      watchersExpected: watchers.length,
      watchersSeen: 0,
      watchersPresent: 0,
    };
    let pairLogged = false;
    // Bounded: nextStep() ends every probe within connectTimeoutSec + durationSec + linger of joining.
    for (;;) {
      await sleep(plan.sampleIntervalSec * 1000);
      const d = await drainPage(page);
      recordDrain(d, tags);
      for (const e of d.errors.slice(0, 5)) console.warn(`probe ${spec.identity}: ${redactSecrets(e, [token])}`);
      if (d.pair && !pairLogged) {
        console.log(`probe ${spec.identity} (${spec.role}) selected pair ${pairText(d)}`);
        pairLogged = true;
      }
      if (d.pair && !d.pair.loopbackOnly) {
        exec.test.fail(`probe ${spec.identity}: media left loopback (${pairText(d)})`);
        throw new ProbeFailure('non_loopback_pair', `selected candidate pair is not 127.0.0.1 ↔ 127.0.0.1: ${pairText(d)}`);
      }
      if (d.connectionState === 'disconnected') throw new ProbeFailure('disconnected', `left room ${spec.room} unexpectedly: ${d.errors.join('; ')}`);
      const video = spec.role === 'subscriber' ? d.latencyMs.length > 0 : (d.outbound?.kbps ?? 0) > 0;
      if (video && progress.firstVideoAtMs === undefined) progress.firstVideoAtMs = d.atMs;
      const present = d.participants.filter((id) => watchers.includes(id));
      for (const id of present) seen.add(id);
      progress.watchersSeen = seen.size;
      progress.watchersPresent = present.length;
      const step = nextStep(progress, Date.now(), plan);
      if (step === 'done') break;
      if (step === 'no_video') {
        const why = spec.role === 'subscriber' ? (d.subscribed ? 'a video track is subscribed but no frame could be read' : 'no video track was subscribed') : 'no video was sent';
        throw new ProbeFailure('no_video', `${why} within ${plan.connectTimeoutSec} s of joining`);
      }
    }
    m.probeOk.add(true, tags);
  } catch (err) {
    const reason = err instanceof ProbeFailure ? err.reason : 'page_error';
    m.probeFailures.add(1, { ...tags, reason });
    m.probeOk.add(false, tags);
    const message = redactSecrets(err instanceof Error ? err.message : String(err), [token]);
    console.error(`probe ${spec.identity} (${spec.role}, room ${spec.room}) failed [${reason}]: ${message}`);
  } finally {
    if (started) await stopPage(page).catch(() => undefined);
    await page.close().catch(() => undefined);
    await context.close().catch(() => undefined);
  }
}
