/**
 * Generates docs/grafana/gomeet-capacity.json — the live view of a run — from the threshold table,
 * so the target and critical lines on the panels are the verdict's, never typed by hand:
 *
 *   npx tsx docs/grafana/generate.ts        (rewrites the JSON; a test fails if it is stale)
 *
 * Datasources are template variables (`influxdb`: k6's samples of every runner; `prometheus`: the
 * servers), so the dashboard imports into any Grafana and is pointed at the stores on import.
 * `run_id` picks the run (from the samples' run_id tag); `planned_connections` is the run's
 * profile size, because the connections row scales with it: it is drawn as % of the plan, with the
 * table's target and critical as percentages (50,000 / 45,000 of 50,000 → 100 % / 90 %).
 *
 * Panels: one per row of the table (client rows from InfluxDB with the same aggregates the verdict
 * uses — reports/influxql.ts; server rows from the verdict's PromQL — thresholds/queries.ts; media
 * rows from the probes' samples or livekit-server), then the load: VUs, sockets, API request rate,
 * SFU participants.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aggregateOf, parseMetricKey } from '../../reports/influxql.ts';
import { SERVER_QUERIES, type PrometheusRowId } from '../../thresholds/queries.ts';
import { SEED_CONNECTIONS, THRESHOLD_TABLE, type RowId, type ThresholdRow, type Unit } from '../../thresholds/table.ts';

export const DASHBOARD_FILE = fileURLToPath(new URL('./gomeet-capacity.json', import.meta.url));

const INFLUX = { type: 'influxdb', uid: '${influxdb}' } as const;
const PROMETHEUS = { type: 'prometheus', uid: '${prometheus}' } as const;
/** Every InfluxQL panel reads one run, every runner of it. */
const RUN_FILTER = `"run_id" =~ /^$run_id$/ AND $timeFilter`;

type Target =
  | { refId: string; datasource: typeof INFLUX; query: string; rawQuery: true; resultFormat: 'time_series'; alias?: string }
  | { refId: string; datasource: typeof PROMETHEUS; expr: string; legendFormat?: string; range: true };

/**
 * Server rows: the verdict's own PromQL (thresholds/queries.ts), made live: its judged window
 * (`$window`) and rate window (`$rate`) become Grafana's `$__rate_interval`, so a panel shows the
 * same statistic over a short sliding window, per `where` (service, process or node). Overrides a
 * target makes in its target.yaml are not in a static dashboard: edit the panel for such a target.
 */
function serverQueries(id: PrometheusRowId): { expr: string; legend: string }[] {
  const q = SERVER_QUERIES[id];
  const live = q.promql.replaceAll('$window', '$__rate_interval').replaceAll('$rate', '$__rate_interval');
  return [{ expr: q.factor === 1 ? live : `(${live}) * ${q.factor}`, legend: '{{where}}' }];
}

/** Other live PromQL: the SFU's own signals, for the rows no server query covers. */
const PROMQL: Partial<Record<RowId, { expr: string; legend: string }[]>> = {
  // livekit-server counts bytes per node, not per room: the node total bounds the largest room.
  sfu_room_bandwidth_gbps: [{ expr: '8 * sum(rate(livekit_packet_bytes[$__rate_interval])) / 1e9', legend: 'SFU node total (bounds the largest room)' }],
};

/** The browser probes' k6 samples behind the media rows (lib/k6/browser/probe-metrics.ts). */
const MEDIA_INFLUX: Partial<Record<RowId, { measurement: string; aggregate: string }>> = {
  video_latency_ms: { measurement: 'gomeet_video_latency_ms', aggregate: 'PERCENTILE("value", 95)' },
};

const GRAFANA_UNIT: Record<Unit, string> = { ms: 'ms', pct: 'percent', count: 'percent', gbps: 'Gbits' };

export function buildDashboard(): object {
  const panels: object[] = [];
  let id = 1;
  let y = 0;
  const section = (title: string) => {
    panels.push({ id: id++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
  };
  let x = 0;
  const place = (panel: Record<string, unknown>) => {
    panels.push({ id: id++, ...panel, gridPos: { h: 8, w: 12, x, y } });
    if (x === 0) x = 12;
    else {
      x = 0;
      y += 8;
    }
  };
  const endSection = () => {
    if (x !== 0) y += 8;
    x = 0;
  };

  const groups: [string, (r: ThresholdRow) => boolean][] = [
    ['Client side — k6 samples of all runners (InfluxDB)', (r) => r.source.kind === 'k6'],
    ['Servers (Prometheus)', (r) => r.source.kind === 'prometheus'],
    ['Media', (r) => r.source.kind === 'media'],
  ];
  for (const [title, member] of groups) {
    section(title);
    for (const row of THRESHOLD_TABLE.filter(member)) place(rowPanel(row));
    endSection();
  }

  section('Load');
  place(
    timeseries('VUs (all runners)', 'short', [
      influx('A', `SELECT sum("peak") FROM (SELECT max("value") AS "peak" FROM "vus" WHERE ${RUN_FILTER} GROUP BY time($__interval), "runner") WHERE $timeFilter GROUP BY time($__interval) fill(none)`, 'VUs'),
    ]),
  );
  place(
    timeseries('Signaling sockets', 'short', [
      influx('A', `SELECT cumulative_sum(count("value")) FROM "ws_sessions" WHERE ${RUN_FILTER} GROUP BY time($__interval) fill(none)`, 'opened by k6 (cumulative)'),
      influx('B', `SELECT cumulative_sum(count("value")) FROM "ws_session_duration" WHERE ${RUN_FILTER} GROUP BY time($__interval) fill(none)`, 'closed by k6 (cumulative)'),
      prom('C', 'sum(websocket_connections_active)', 'open on the signaling service'),
    ]),
  );
  place(
    timeseries('API requests/s (api scenario)', 'reqps', [
      influx('A', `SELECT count("value") * 1000 / $__interval_ms FROM "http_reqs" WHERE "scenario" = 'api' AND ${RUN_FILTER} GROUP BY time($__interval) fill(none)`, 'req/s'),
    ]),
  );
  place(timeseries('SFU participants', 'short', [prom('A', 'sum(livekit_participant_total)', 'participants (livekit-server)')]));
  endSection();

  return {
    title: 'GoMeet capacity',
    uid: 'gomeet-capacity',
    description: 'Live view of a gomeet-capacity run. Generated from thresholds/table.ts by docs/grafana/generate.ts — do not edit by hand.',
    tags: ['gomeet', 'k6', 'capacity'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-30m', to: 'now' },
    refresh: '10s',
    timezone: 'utc',
    templating: {
      list: [
        { name: 'influxdb', label: 'k6 samples (InfluxDB)', type: 'datasource', query: 'influxdb', current: {}, hide: 0 },
        { name: 'prometheus', label: 'Servers (Prometheus)', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        {
          name: 'run_id',
          label: 'Run',
          type: 'query',
          datasource: INFLUX,
          query: 'SHOW TAG VALUES FROM "vus" WITH KEY = "run_id"',
          refresh: 2,
          sort: 0,
          current: {},
          hide: 0,
        },
        {
          name: 'planned_connections',
          label: 'Planned connections (the run profile)',
          type: 'textbox',
          query: '500',
          current: { text: '500', value: '500' },
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

function rowPanel(row: ThresholdRow): Record<string, unknown> {
  const scaled = row.scale === 'planned-connections';
  const targets = queriesOf(row);
  if (targets.length === 0) {
    // No live source (e.g. a row the media bots compute after the run): say where it is judged
    // instead of leaving the row out of the dashboard.
    return {
      type: 'text',
      title: row.title,
      description: row.description,
      options: {
        mode: 'markdown',
        content: `**${row.title}** (${row.id}) has no live series: it is computed after the run (${row.source.kind} source) and shown in report.html.\n\nTarget ${row.direction === 'lower' ? '<' : '≥'} ${row.target}, critical ${row.direction === 'lower' ? '>' : '<'} ${row.critical} (${row.unit}).`,
      },
    };
  }
  // A scaled count row is drawn as % of the plan: the table's values over the seed's 50,000.
  const target = scaled ? (row.target / SEED_CONNECTIONS) * 100 : row.target;
  const critical = scaled ? (row.critical / SEED_CONNECTIONS) * 100 : row.critical;
  const description = `${row.description} Target ${row.direction === 'lower' ? '<' : '≥'} ${target}, critical ${row.direction === 'lower' ? '>' : '<'} ${critical}${scaled ? ' (% of planned connections)' : ''}; warm-up ${row.warmupSec} s (thresholds/table.ts row ${row.id}).`;
  const panel = timeseries(`${row.title}${scaled ? ' — % of planned' : ''}`, GRAFANA_UNIT[row.unit], targets, { target, critical, direction: row.direction });
  return { ...panel, description };
}

function queriesOf(row: ThresholdRow): Target[] {
  const source = row.source;
  if (source.kind === 'k6') {
    const key = parseMetricKey(source.metric);
    const tags = key.tags.map(([k, v]) => `"${k}" = '${v}' AND `).join('');
    const factor = source.factor ?? 1;
    if (source.stat === 'count') {
      return [influx('A', `SELECT cumulative_sum(sum("value")) * 100 / $planned_connections FROM "${key.measurement}" WHERE ${tags}${RUN_FILTER} GROUP BY time($__interval) fill(none)`, row.title)];
    }
    const scale = factor === 1 ? '' : ` * ${factor}`;
    return [influx('A', `SELECT ${aggregateOf(source.stat)}${scale} FROM "${key.measurement}" WHERE ${tags}${RUN_FILTER} GROUP BY time($__interval) fill(none)`, row.title)];
  }
  const media = MEDIA_INFLUX[row.id];
  if (media) return [influx('A', `SELECT ${media.aggregate} FROM "${media.measurement}" WHERE ${RUN_FILTER} GROUP BY time($__interval) fill(none)`, row.title)];
  const promql = source.kind === 'prometheus' && source.queryId in SERVER_QUERIES ? serverQueries(source.queryId as PrometheusRowId) : PROMQL[row.id];
  return (promql ?? []).map((q, i) => prom(String.fromCharCode(65 + i), q.expr, q.legend));
}

function influx(refId: string, query: string, alias?: string): Target {
  return { refId, datasource: INFLUX, query, rawQuery: true, resultFormat: 'time_series', ...(alias ? { alias } : {}) };
}

function prom(refId: string, expr: string, legendFormat?: string): Target {
  return { refId, datasource: PROMETHEUS, expr, range: true, ...(legendFormat ? { legendFormat } : {}) };
}

function timeseries(
  title: string,
  unit: string,
  targets: Target[],
  lines?: { target: number; critical: number; direction: 'lower' | 'higher' },
): Record<string, unknown> {
  // Steps colour what lies above each value: lower rows go green → orange at the target → red
  // at the critical; higher rows the other way round. The line style draws both as dashed lines.
  const steps = !lines
    ? [{ color: 'green', value: null }]
    : lines.direction === 'lower'
      ? [
          { color: 'green', value: null },
          { color: 'orange', value: lines.target },
          { color: 'red', value: lines.critical },
        ]
      : [
          { color: 'red', value: null },
          { color: 'orange', value: lines.critical },
          { color: 'green', value: lines.target },
        ];
  const datasources = new Set(targets.map((t) => t.datasource.type));
  return {
    type: 'timeseries',
    title,
    // One datasource: the panel's own; mixed (InfluxDB and Prometheus in one panel): Grafana's -- Mixed --.
    datasource: datasources.size === 1 ? targets[0]!.datasource : { type: 'datasource', uid: '-- Mixed --' },
    targets,
    fieldConfig: {
      defaults: {
        unit,
        thresholds: { mode: 'absolute', steps },
        custom: { drawStyle: 'line', lineWidth: 2, spanNulls: false, thresholdsStyle: { mode: lines ? 'dashed' : 'off' } },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
  };
}

/** The file's text: 2-space JSON and a final newline, so a regenerated file diffs cleanly. */
export function dashboardText(): string {
  return JSON.stringify(buildDashboard(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DASHBOARD_FILE, dashboardText());
  console.log(`wrote ${DASHBOARD_FILE}`);
}
