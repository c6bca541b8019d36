/** media-results.json's shape and its Markdown rendering (pure). */
import type { VerdictName } from '../../reports/verdict.ts';
import type { RelayCounts } from '../../media/impair/udp-delay-relay.ts';
import type { RowId } from '../../thresholds/table.ts';
import type { Fault } from './faults.ts';
import type { RowGot } from './match.ts';

export interface SubscriberFigures {
  p50Ms: number | null;
  p95Ms: number | null;
  fps: number | null;
  /** Packet loss the subscriber's browser saw (inbound-rtp), %. */
  lossPct: number | null;
  freezes: number;
}

export interface MediaFaultRun {
  repeat: number;
  faultId: string;
  title: string;
  /** The path label its subscribers' samples carry (`direct` without a fault). */
  path: string;
  expectedVerdict: VerdictName;
  gotVerdict: VerdictName | 'ERROR';
  matched: boolean;
  mismatches: string[];
  rows: RowGot[];
  reasons: string[];
  subscribers: SubscriberFigures[];
  /** Recorded, not gated (media-faults.ts MEDIA_GATES says why). */
  joinP95Ms: number | null;
  /** What the relay did (packets each way, lost on purpose, dropped by its limits); null: direct. */
  relay: RelayCounts | null;
  loopback: string;
  loopbackViolations: number;
  saturated?: string;
  outDir: string;
  wallSec: number;
  load1Before: number;
  load1After: number;
  error?: string;
}

export interface MediaMatrixResults {
  command: string;
  date: string;
  machine: { cpus: number; loadBefore: number[]; loadAfter: number[] };
  gates: readonly RowId[];
  repeats: number;
  summary: { runs: number; matched: number; errors: number };
  faults: { id: string; title: string; path: unknown; expected: Fault['expected']; why: string }[];
  runs: MediaFaultRun[];
}

const num = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? '—' : v.toFixed(digits));

export function renderMediaMarkdown(r: MediaMatrixResults): string {
  const lines = [
    '# Verdict matrix — media faults',
    '',
    `Command: \`${r.command}\`  `,
    `Started: ${r.date}; ${r.machine.cpus} cores; 1-min load ${r.machine.loadBefore[0]!.toFixed(1)} before, ${r.machine.loadAfter[0]!.toFixed(1)} at the last write  `,
    `Gated rows: ${r.gates.join(', ')} (sfu_join_p95_ms recorded, not gated)`,
    '',
    `**${r.summary.matched}/${r.summary.runs} runs gave the expected verdict**${r.summary.errors ? ` (${r.summary.errors} errors)` : ''}.`,
    '',
    '| repeat | fault | path | expected | got | video latency p95 (row) | subscriber p50 / p95, fps, loss seen, freezes | relay: to subscriber, lost | join p95 (not gated) | loopback | load before → after |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of r.runs) {
    const video = run.rows.find((x) => x.id === 'video_latency_ms');
    const subs = run.subscribers.map((s) => `${num(s.p50Ms)} / ${num(s.p95Ms)} ms, ${num(s.fps, 1)} fps, ${num(s.lossPct, 1)} %, ${s.freezes}`).join('; ');
    const relay = run.relay ? `${run.relay.toClient.toLocaleString('en-US')}, ${run.relay.lost.toLocaleString('en-US')}` : '—';
    const got = `${run.gotVerdict}${run.matched ? '' : ' ✗'}`;
    lines.push(
      `| ${run.repeat} | ${run.faultId} | ${run.path} | ${run.expectedVerdict} | ${got} | ${video ? `${num(video.observed)} ms ${video.status}` : '—'} | ${subs || '—'} | ${relay} | ${num(run.joinP95Ms)} ms | ${run.loopbackViolations === 0 ? run.loopback : `${run.loopbackViolations} VIOLATIONS`} | ${run.load1Before.toFixed(1)} → ${run.load1After.toFixed(1)} |`,
    );
  }
  const misses = r.runs.filter((x) => !x.matched);
  if (misses.length) {
    lines.push('', '## Mismatches', '');
    for (const m of misses) lines.push(`- ${m.faultId} (repeat ${m.repeat}): ${m.mismatches.join('; ')}${m.saturated ? ` — saturated: ${m.saturated}` : ''}`);
  }
  lines.push('', '## The faults', '', '| id | impairment | expected | why |', '|---|---|---|---|');
  for (const f of r.faults) lines.push(`| ${f.id} | ${f.path ? JSON.stringify(f.path) : 'none (direct)'} | ${f.expected.verdict} | ${f.why} |`);
  return `${lines.join('\n')}\n`;
}
