/**
 * One time chart as inline SVG, generated here so report.html needs no script, no library and no
 * network: lines over the run window (x: seconds from the run start), horizontal target and critical
 * lines, the warm-up shaded, and vertical markers where a row first missed its target / crossed its
 * critical. Colours come from report.html's CSS classes (line-N, target, critical, ...).
 */
import type { RunWindow, SeriesPoint } from './series.ts';
import { escapeMarkup as h } from './xml-escape.ts';

export interface ChartLine {
  label: string;
  points: readonly SeriesPoint[];
}

export interface ChartRule {
  label: string;
  value: number;
  kind: 'target' | 'critical';
}

export interface ChartMarker {
  tMs: number;
  label: string;
  kind: 'target' | 'critical';
}

export interface ChartInput {
  title: string;
  window: RunWindow;
  lines: ChartLine[];
  /** Formats a y value for tick labels and tooltips, e.g. `120 ms`. */
  format: (value: number) => string;
  rules?: ChartRule[];
  markers?: ChartMarker[];
  /** Shaded span from the run start, e.g. the warm-up. */
  shadeUntilMs?: number;
  shadeLabel?: string;
  /** Bucket width: points further apart than 1.5 buckets are drawn with a gap, not joined. */
  bucketMs?: number;
}

const W = 640;
const H = 200;
const M = { left: 64, right: 12, top: 22, bottom: 28 };

export function lineChart(c: ChartInput): string {
  const x0 = c.window.startMs;
  const span = Math.max(1000, c.window.endMs - c.window.startMs);
  const values = [...c.lines.flatMap((l) => l.points.map(([, v]) => v)), ...(c.rules ?? []).map((r) => r.value)];
  const [yMin, yMax] = yRange(values);
  const px = (t: number) => M.left + ((t - x0) / span) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((v - yMin) / (yMax - yMin || 1)) * (H - M.top - M.bottom);
  const gapMs = (c.bucketMs ?? 5000) * 1.5;

  const parts: string[] = [];
  parts.push(`<title>${h(c.title)}</title>`);
  if (c.shadeUntilMs !== undefined && c.shadeUntilMs > x0) {
    const xe = px(Math.min(c.shadeUntilMs, c.window.endMs));
    parts.push(`<rect class="shade" x="${r(M.left)}" y="${M.top}" width="${r(xe - M.left)}" height="${H - M.top - M.bottom}"><title>${h(c.shadeLabel ?? '')}</title></rect>`);
  }
  for (const tick of niceTicks(yMin, yMax, 4)) {
    const y = py(tick);
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${r(y)}" y2="${r(y)}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${r(y + 4)}" text-anchor="end">${h(c.format(tick))}</text>`);
  }
  for (const tick of niceTicks(0, span / 1000, 6)) {
    const x = px(x0 + tick * 1000);
    parts.push(`<text class="tick" x="${r(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${h(`${tick} s`)}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  for (const rule of c.rules ?? []) {
    const y = py(rule.value);
    parts.push(`<line class="rule ${rule.kind}" x1="${M.left}" x2="${W - M.right}" y1="${r(y)}" y2="${r(y)}"><title>${h(`${rule.label}: ${c.format(rule.value)}`)}</title></line>`);
    parts.push(`<text class="rule-label ${rule.kind}" x="${W - M.right - 4}" y="${r(y - 4)}" text-anchor="end">${h(rule.label)}</text>`);
  }
  c.lines.forEach((line, i) => {
    const d = pathOf(line.points, px, py, gapMs);
    if (d) parts.push(`<path class="line line-${i % 4}" d="${d}"><title>${h(line.label)}</title></path>`);
    // Single points (a one-bucket series, or isolated buckets) would vanish as a path: dot them.
    for (const [t, v] of line.points) {
      parts.push(`<circle class="dot line-${i % 4}" cx="${r(px(t))}" cy="${r(py(v))}" r="2"><title>${h(`${line.label} at +${Math.round((t - x0) / 1000)} s: ${c.format(v)}`)}</title></circle>`);
    }
  });
  for (const m of c.markers ?? []) {
    const x = px(m.tMs);
    parts.push(`<line class="marker ${m.kind}" x1="${r(x)}" x2="${r(x)}" y1="${M.top}" y2="${H - M.bottom}"><title>${h(m.label)}</title></line>`);
  }
  parts.push(`<text class="chart-title" x="${M.left}" y="14">${h(c.title)}</text>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function pathOf(points: readonly SeriesPoint[], px: (t: number) => number, py: (v: number) => number, gapMs: number): string {
  let d = '';
  let prev: number | undefined;
  for (const [t, v] of points) {
    d += `${prev === undefined || t - prev > gapMs ? 'M' : 'L'}${r(px(t))},${r(py(v))}`;
    prev = t;
  }
  return d;
}

/** y range: from 0 when the data sits well above it, else padded around the data (a 99.9 % rate
 *  is unreadable on a 0–100 axis). Always includes every rule so target and critical are visible. */
export function yRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo >= 0 && lo <= hi * 0.5) lo = 0;
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  if (lo !== 0) lo -= pad;
  hi += pad;
  return [lo, hi];
}

/** About `count` round tick values (1, 2, 5 × 10^k steps) within [lo, hi]: the finest step that
 *  gives at most 1.5 × count intervals. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => (hi - lo) / (m * mag) <= count * 1.5) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function r(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}
