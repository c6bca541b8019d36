/**
 * What an observer hands the verdict: one observation per row it could measure. Independent of
 * where the number came from — k6's summary today (observe-k6.ts), InfluxDB over all runners or
 * Prometheus later — so observers can be swapped or merged without touching the verdict.
 */
import type { RowId } from '../thresholds/table.ts';

export interface Observation {
  /** The row's value in the row's unit (ms, pct 0..100, count, gbps); null when there is no usable data. */
  observed: number | null;
  /** Why the value is what it is, or why there is none (shown in reports). */
  note?: string;
  /** Where the worst value was seen, e.g. a service, node or room. */
  where?: string;
}

export type Observations = ReadonlyMap<RowId, Observation>;
