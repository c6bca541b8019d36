/**
 * media.md: what the rooms did, for the person reading a run — the four rows with their notes, the
 * loopback proof, one line per room (bots, media, bandwidth), one per probe (latency, fps, layer
 * asked vs received, loss, pair), the bot workers, and every failure with its reason. Pure.
 */
import type { Observation } from '../../../reports/observation.ts';
import type { MediaJudgement } from './observe.ts';
import { MEDIA_ROWS } from './observe.ts';
import type { SfuRoomPlan } from './room-plan.ts';

const n = (v: number | undefined, digits = 0): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const reasons = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '–';

function rowLine(id: string, o: Observation | undefined): string {
  const value = o?.observed === null || o?.observed === undefined ? 'no value' : String(Number(o.observed.toPrecision(4)));
  return `| ${id} | ${value} | ${(o?.note ?? '').replaceAll('|', '/')} |`;
}

export function renderMediaMarkdown(plan: SfuRoomPlan, j: MediaJudgement, when: { startedAt: Date; endedAt: Date }): string {
  const c = j.context;
  const wallSec = ((when.endedAt.getTime() - when.startedAt.getTime()) / 1000).toFixed(0);
  const lines = [
    '# SFU rooms',
    '',
    `${plan.rooms.length} room(s), ${plan.participants} participants: ${plan.bots.rooms * (plan.bots.publishersPerRoom + plan.bots.subscribersPerRoom)} werift bots ` +
      `(${plan.bots.layout} layout, ${plan.bots.joinRatePerSec} joins/s, hold ${plan.bots.holdSec} s) and ${plan.probes.probes.length} Chromium probes ` +
      `(${plan.probes.video.width}×${plan.probes.video.height} at ${plan.probes.video.fps} fps, simulcast). Wall time ${wallSec} s.`,
    '',
    `**Loopback:** ${j.loopback.statement}.`,
    ...(j.saturated ? ['', `**Generator saturated:** ${j.saturated.reason}.`] : []),
    ...(c.errors.length ? ['', ...c.errors.map((e) => `**Error:** ${e}`)] : []),
    '',
    '| row | observed | note |',
    '| --- | --- | --- |',
    ...MEDIA_ROWS.map((id) => rowLine(id, j.observations.get(id))),
    '',
    '## Rooms',
    '',
    '| room | bots connected / planned | failed | subscribers with all media | Mbit/s total | bot subs rx | bot pubs tx | probes | probes ok |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...c.rooms.map(
      (r) =>
        `| ${r.room} | ${r.botsConnected} / ${r.botsPlanned} | ${r.botsFailed} | ${r.subscribersWithAllMedia} | ${n(r.bitsPerSec.total / 1e6, 1)} | ${n(r.bitsPerSec.botSubscribers / 1e6, 1)} | ${n(r.bitsPerSec.botPublishers / 1e6, 1)} | ${n(r.bitsPerSec.probes / 1e6, 1)} | ${r.probesOk} / ${r.probesPlanned} |`,
    ),
    '',
    `Joins: ${c.joins.connected} of ${c.joins.planned} bots connected; failed: ${reasons(c.joins.failedByReason)}; dropped after joining: ${reasons(c.joins.droppedAfterJoin)}; ` +
      `time to connected p50 ${n(c.joins.connectMs?.p50)} ms, p95 ${n(c.joins.connectMs?.p95)} ms, max ${n(c.joins.connectMs?.max)} ms.`,
    '',
    '## Probes',
    '',
    '| probe | role | path | layer asked | ok | failures | connect ms | latency p50 / p95 ms (frames) | fps | kbps | height p50 (min) | downgraded | loss % | freezes | pair |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...c.probes.map(
      (p) =>
        `| ${p.identity} | ${p.role} | ${p.path} | ${p.layerAsked ?? '–'} | ${p.ok ? 'yes' : 'no'} | ${reasons(p.failures)} | ${n(p.connectMs)} | ` +
        `${p.latency ? `${n(p.latency.p50)} / ${n(p.latency.p95)} (${p.latency.count})` : '–'} | ${n(p.fps, 1)} | ${n(p.kbps)} | ${n(p.frameHeightP50)} (${n(p.frameHeightMin)}) | ` +
        `${p.role === 'subscriber' ? (p.downgraded ? 'yes' : 'no') : '–'} | ${n(p.lossPct, 2)} | ${p.freezes} | ${p.pairs.join('; ') || '–'} |`,
    ),
    '',
    '## Bot workers',
    '',
    '| worker | bots | cores | RSS MB | event-loop p99 max ms |',
    '| --- | --- | --- | --- | --- |',
    ...c.workers.map((w) => `| ${w.worker} | ${w.bots} | ${n(w.cores, 2)} | ${n(w.rssMaxBytes / 2 ** 20)} | ${n(w.loopDelayP99MaxMs)} |`),
    ...(c.failedExamples.length ? ['', '## Failed bots (first ten)', '', ...c.failedExamples.map((f) => `- ${f.botId}: ${f.reason} — ${f.message}`)] : []),
    '',
  ];
  return lines.join('\n');
}
