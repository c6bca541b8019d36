/**
 * Server signals the report prints as context beside the verdict — never gated: the SFU's own view
 * of the run (livekit-server 1.13's /metrics) and PostgreSQL's server-side statement time. Same
 * shape and placeholders as the row queries (thresholds/queries.ts); evaluated over the whole run
 * window by reports/observe-prometheus.ts serverContextFromPrometheus().
 *
 * livekit-server creates its loss, NACK and PLI counters on their first event. Where packets flowed
 * in a direction but none of those happened, the queries say 0 (`or 0 * <packets>`); where no media
 * flowed at all there is nothing to say, and the report prints "none recorded".
 *
 * Pure data: no Node or k6 imports.
 */
import type { WindowAggregate } from './queries.ts';

export interface ContextQuery {
  id: string;
  /** As printed, e.g. `SFU participants (peak)`. */
  title: string;
  /** Unit of the value after `factor`, as printed: `ms`, `%`, `/s`, or '' for a count. */
  unit: string;
  promql: string;
  /** Query answer × factor = the value in `unit`. */
  factor: number;
  aggregate: WindowAggregate;
  description: string;
}

const byDirection = (expr: string) => `label_replace(${expr}, "where", "$1", "direction", "(.*)")`;
/** Per direction, `fn` (increase or rate) of `counter` over the window — 0 where packets flowed
 *  but the counter never counted. */
const perDirection = (fn: 'increase' | 'rate', counter: string) =>
  `(sum by (direction) (${fn}(${counter}[$window])) or 0 * sum by (direction) (${fn}(livekit_packet_total[$window])))`;

export const CONTEXT_QUERIES: readonly ContextQuery[] = [
  {
    id: 'sfu_participants',
    title: 'SFU participants (peak)',
    unit: '',
    promql: 'label_replace(sum(livekit_participant_total), "where", "livekit-server", "", "")',
    factor: 1,
    aggregate: 'max',
    description: 'Participants connected to livekit-server (livekit_participant_total), highest value seen every 5 s.',
  },
  {
    id: 'sfu_rooms',
    title: 'SFU rooms (peak)',
    unit: '',
    promql: 'label_replace(sum(livekit_room_total), "where", "livekit-server", "", "")',
    factor: 1,
    aggregate: 'max',
    description: 'Rooms open on livekit-server (livekit_room_total), highest value seen.',
  },
  {
    id: 'sfu_packet_loss_pct',
    title: 'SFU packet loss',
    unit: '%',
    promql: byDirection(
      `100 * ${perDirection('increase', 'livekit_packet_loss_total')} / sum by (direction) (increase(livekit_packet_total{transmission="initial"}[$window]))`,
    ),
    factor: 1,
    aggregate: 'window',
    description:
      'Packets lost as a share of packets carried over the run, per direction (incoming: publisher → SFU; outgoing: SFU → subscribers, as their RTCP reports).',
  },
  {
    id: 'sfu_forward_latency_p95_ms',
    title: 'SFU forwarding latency (p95)',
    unit: 'ms',
    promql: 'label_replace(histogram_quantile(0.95, sum by (le) (increase(livekit_forward_latency_ns_bucket[$window]))), "where", "livekit-server", "", "")',
    factor: 1e-6,
    aggregate: 'window',
    description: "Time a packet spends inside the SFU from receipt to forwarding (livekit_forward_latency_ns histogram), p95 over the run.",
  },
  {
    id: 'sfu_nack_rate',
    title: 'SFU NACKs',
    unit: '/s',
    promql: byDirection(perDirection('rate', 'livekit_nack_total')),
    factor: 1,
    aggregate: 'window',
    description: 'Retransmission requests per second over the run, per direction (a rising rate means loss on that leg).',
  },
  {
    id: 'sfu_pli_rate',
    title: 'SFU PLIs',
    unit: '/s',
    promql: byDirection(perDirection('rate', 'livekit_pli_total')),
    factor: 1,
    aggregate: 'window',
    description: 'Picture-loss indications (keyframe requests) per second over the run, per direction.',
  },
  {
    id: 'pg_statement_mean_ms',
    title: 'PostgreSQL statement time (mean, server side)',
    unit: 'ms',
    promql:
      'label_replace(1000 * sum(increase(pg_stat_statements_database_total_exec_time_seconds[$window])) / sum(increase(pg_stat_statements_database_calls[$window])), "where", "PostgreSQL (pg_stat_statements)", "", "")',
    factor: 1,
    aggregate: 'window',
    description:
      'Mean execution time of every statement over the run, inside PostgreSQL (pg_stat_statements via postgres_exporter): no pool wait, no network. Context for the database row, which is a client-side p95.',
  },
];
