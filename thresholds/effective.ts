/**
 * A profile's effective rows: the table with every `scale: 'planned-connections'` row resolved
 * to the profile's planned connections. The k6 thresholds and the verdict both read these, so a
 * smoke run of 500 sessions is judged against 500 / 450, not the seed's 50,000 / 45,000.
 * Pure: bundled into k6 scripts as well as used by Node.
 */
import { SEED_CONNECTIONS, type RowId, type ThresholdRow } from './table.ts';

/** What a run plans, as far as the thresholds care. */
export interface ThresholdPlan {
  /** Rows the profile gates (Profile.gates); every other row is reported `not_measured`. */
  gates: readonly RowId[];
  /** Concurrent signaling sessions the judged load plans to hold (count, no default). For the
   *  verdict this is the whole run's total; for one k6 runner's own thresholds, pass that runner's
   *  share, since its counters only see its own execution segment. */
  plannedConnections: number;
}

/**
 * Rows with absolute target/critical. Scaled rows are `seed value × planned / 50,000` (so the
 * target is the plan itself and the critical 90 % of it); count rows round the critical up, which
 * is the same test for whole counts (held < 449.1 ⟺ held < 450) and reads better in a report.
 * The returned rows no longer carry `scale`, so applying this twice does not scale twice.
 */
export function effectiveRows(rows: readonly ThresholdRow[], plan: ThresholdPlan): ThresholdRow[] {
  const planned = plan.plannedConnections;
  if (!Number.isFinite(planned) || planned < 0) {
    throw new Error(`plannedConnections must be a finite count >= 0, got ${planned}`);
  }
  return rows.map((row) => {
    if (row.scale !== 'planned-connections') return row;
    if (planned === 0 && plan.gates.includes(row.id)) {
      // A target of 0 would pass with nothing measured: refuse rather than hand out a free GO.
      throw new Error(`row ${row.id} is gated but the plan holds 0 connections`);
    }
    const { scale: _resolved, ...absolute } = row;
    const scaled = (seedValue: number) => {
      const value = (seedValue * planned) / SEED_CONNECTIONS;
      return row.unit === 'count' ? Math.ceil(roundNoise(value)) : roundNoise(value);
    };
    return { ...absolute, target: scaled(row.target), critical: scaled(row.critical) };
  });
}

/** Strip binary floating-point noise (0.1 × 3 = 0.30000000000000004) without changing real digits. */
export function roundNoise(value: number): number {
  return Number(value.toPrecision(12));
}
