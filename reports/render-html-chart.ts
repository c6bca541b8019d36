/**
 * Charts as inline SVG, generated here so report.html needs no script, no library and no network.
 * `lineChart`: lines over the run window (x: seconds from the run start), horizontal target and
 * critical lines, the warm-up shaded, and vertical markers where a row first missed its target /
 * crossed its critical. `xyChart`: the same drawing on any numeric x axis (the capacity search draws
 * each row against load with it). Colours come from report.html's CSS classes (line-N, target, ...).
 */
import type { RunWindow, SeriesPoint } from './series.ts';
import { escapeMarkup as h } from './xml-escape.ts';

export interface ChartLine {
  label: string;
  points: readonly SeriesPoint[];
}

/** A horizontal line at `value`, or (with `points`) a line through them — a target that scales
 *  with the load is not flat. */
export interface ChartRule {
  label: string;
  value: number;
  kind: 'target' | 'critical';
  /** `[x, value]` in the chart's x unit; when given, drawn through these instead of flat at `value`. */
  points?: readonly [x: number, value: number][];
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

/** An x–y chart on any numeric x axis (time, load, …): what lineChart and the search's load curves draw. */
export interface XYChartInput {
  title: string;
  /** The x range drawn; `ticks` are where x labels go, `tipX` how a point's x reads in its tooltip. */
  x: { min: number; max: number; ticks: readonly { at: number; label: string }[]; tipX: (x: number) => string };
  lines: ChartLine[];
  /** Formats a y value for tick labels and tooltips. */
  format: (value: number) => string;
  rules?: ChartRule[];
  markers?: readonly { x: number; label: string; kind: 'target' | 'critical' }[];
  /** Shaded span from x.min to `untilX`. */
  shade?: { untilX: number; label: string };
  /** Points further apart in x than this are drawn with a gap, not joined. Default: never a gap. */
  gapX?: number;
}

const W = 640;
const H = 200;
const M = { left: 64, right: 12, top: 22, bottom: 28 };

/** A time chart: x is seconds from the run start. */
export function lineChart(c: ChartInput): string {
  const x0 = c.window.startMs;
  const span = Math.max(1000, c.window.endMs - c.window.startMs);
  return xyChart({
    title: c.title,
    x: {
      min: x0,
      max: x0 + span,
      ticks: niceTicks(0, span / 1000, 6).map((tick) => ({ at: x0 + tick * 1000, label: `${tick} s` })),
      tipX: (t) => `+${Math.round((t - x0) / 1000)} s`,
    },
    lines: c.lines,
    format: c.format,
    rules: c.rules,
    markers: c.markers?.map((m) => ({ x: m.tMs, label: m.label, kind: m.kind })),
    ...(c.shadeUntilMs !== undefined && c.shadeUntilMs > x0 ? { shade: { untilX: Math.min(c.shadeUntilMs, c.window.endMs), label: c.shadeLabel ?? '' } } : {}),
    gapX: (c.bucketMs ?? 5000) * 1.5,
  });
}

export function xyChart(c: XYChartInput): string {
  const x0 = c.x.min;
  const span = c.x.max - c.x.min || 1;
  const values = [
    ...c.lines.flatMap((l) => l.points.map(([, v]) => v)),
    ...(c.rules ?? []).flatMap((r) => (r.points ? r.points.map(([, v]) => v) : [r.value])),
  ];
  const [yMin, yMax] = yRange(values);
  const px = (t: number) => M.left + ((t - x0) / span) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((v - yMin) / (yMax - yMin || 1)) * (H - M.top - M.bottom);
  const gapX = c.gapX ?? Infinity;

  const parts: string[] = [];
  parts.push(`<title>${h(c.title)}</title>`);
  if (c.shade) {
    const xe = px(c.shade.untilX);
    parts.push(`<rect class="shade" x="${r(M.left)}" y="${M.top}" width="${r(xe - M.left)}" height="${H - M.top - M.bottom}"><title>${h(c.shade.label)}</title></rect>`);
  }
  for (const tick of niceTicks(yMin, yMax, 4)) {
    const y = py(tick);
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${r(y)}" y2="${r(y)}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${r(y + 4)}" text-anchor="end">${h(c.format(tick))}</text>`);
  }
  for (const tick of c.x.ticks) {
    parts.push(`<text class="tick" x="${r(px(tick.at))}" y="${H - M.bottom + 16}" text-anchor="middle">${h(tick.label)}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  // A critical below its target (higher-is-better rows) gets its label under its line, so the two
  // labels do not print over each other when the lines are close (99.9 % / 99 %).
  const lastValue = (rule: ChartRule) => (rule.points && rule.points.length > 0 ? rule.points[rule.points.length - 1]![1] : rule.value);
  const targetRule = (c.rules ?? []).find((x) => x.kind === 'target');
  for (const rule of c.rules ?? []) {
    const tip = `<title>${h(`${rule.label}: ${c.format(rule.value)}`)}</title>`;
    const below = rule.kind === 'critical' && targetRule !== undefined && lastValue(rule) < lastValue(targetRule);
    const labelDy = below ? 12 : -4;
    if (rule.points && rule.points.length > 0) {
      const last = rule.points[rule.points.length - 1]!;
      parts.push(`<path class="rule ${rule.kind}" d="${pathOf(rule.points, px, py, Infinity)}">${tip}</path>`);
      parts.push(`<text class="rule-label ${rule.kind}" x="${r(Math.min(px(last[0]), W - M.right) - 4)}" y="${r(py(last[1]) + labelDy)}" text-anchor="end">${h(rule.label)}</text>`);
      continue;
    }
    const y = py(rule.value);
    parts.push(`<line class="rule ${rule.kind}" x1="${M.left}" x2="${W - M.right}" y1="${r(y)}" y2="${r(y)}">${tip}</line>`);
    parts.push(`<text class="rule-label ${rule.kind}" x="${W - M.right - 4}" y="${r(y + labelDy)}" text-anchor="end">${h(rule.label)}</text>`);
  }
  c.lines.forEach((line, i) => {
    const d = pathOf(line.points, px, py, gapX);
    if (d) parts.push(`<path class="line line-${i % 4}" d="${d}"><title>${h(line.label)}</title></path>`);
    // Single points (a one-bucket series, or isolated buckets) would vanish as a path: dot them.
    for (const [t, v] of line.points) {
      parts.push(`<circle class="dot line-${i % 4}" cx="${r(px(t))}" cy="${r(py(v))}" r="2"><title>${h(`${line.label} at ${c.x.tipX(t)}: ${c.format(v)}`)}</title></circle>`);
    }
  });
  for (const m of c.markers ?? []) {
    const x = px(m.x);
    parts.push(`<line class="marker ${m.kind}" x1="${r(x)}" x2="${r(x)}" y1="${M.top}" y2="${H - M.bottom}"><title>${h(m.label)}</title></line>`);
  }
  parts.push(`<text class="chart-title" x="${M.left}" y="14">${h(c.title)}</text>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function pathOf(points: readonly (readonly [number, number])[], px: (t: number) => number, py: (v: number) => number, gap: number): string {
  let d = '';
  let prev: number | undefined;
  for (const [t, v] of points) {
    d += `${prev === undefined || t - prev > gap ? 'M' : 'L'}${r(px(t))},${r(py(v))}`;
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
