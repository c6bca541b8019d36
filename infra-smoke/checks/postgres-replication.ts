/**
 * PostgreSQL replication on the primary (pg_stat_replication): the seed runs 1 primary + 3
 * replicas, so three standbys should be streaming, none far behind. Lag columns are visible only to
 * a role with pg_monitor (else NULL): the check says so rather than calling unknown lag "none".
 * The lag bar (10 s) is the suite's: the seed names no figure.
 */
import pg from 'pg';
import type { Target } from '../../lib/config/target.ts';
import { SEED_SIZING } from '../../thresholds/sizing.ts';
import { judgeCapacity, type PlannedLoad } from '../capacity.ts';
import { CHECK_TIMEOUT_MS, describeError, type Check } from '../check.ts';
import { pgClientConfig } from './pg-connection.ts';

/** A standby further behind than this (replay_lag, s) makes the check warn. */
export const REPLICATION_LAG_MAX_SEC = 10;

export interface ReplicaRow {
  name: string;
  state: string;
  /** replay_lag in seconds; null when caught up and idle, or not visible to this role. */
  replayLagSec: number | null;
  /** WAL bytes not yet replayed; null when not visible to this role. */
  replayLagBytes: number | null;
}

const REPLICATION_SQL = `
  SELECT coalesce(application_name, '') AS name, coalesce(state, 'unknown') AS state,
         extract(epoch FROM replay_lag)::float8 AS replay_lag_sec,
         pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS replay_lag_bytes
    FROM pg_stat_replication ORDER BY application_name`;

export async function readReplication(url: string, password: string | undefined, signal: AbortSignal): Promise<{ inRecovery: boolean; replicas: ReplicaRow[]; canSeeLag: boolean }> {
  const client = new pg.Client({ ...pgClientConfig(url, password), statement_timeout: CHECK_TIMEOUT_MS });
  const onAbort = () => void client.end().catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const recovery = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
    const inRecovery = recovery.rows[0]?.r === true;
    if (inRecovery) return { inRecovery, replicas: [], canSeeLag: false };
    const priv = await client.query<{ ok: boolean }>("SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS ok");
    const rows = await client.query<{ name: string; state: string; replay_lag_sec: number | null; replay_lag_bytes: number | null }>(REPLICATION_SQL);
    return {
      inRecovery,
      canSeeLag: priv.rows[0]?.ok === true,
      replicas: rows.rows.map((r) => ({ name: r.name, state: r.state, replayLagSec: r.replay_lag_sec, replayLagBytes: r.replay_lag_bytes })),
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}

export function postgresReplicationCheck(target: Target, env: NodeJS.ProcessEnv, load?: PlannedLoad): Check {
  const primary = target.postgres;
  const seed = SEED_SIZING.postgres;
  const seedText = `${seed.replicas} standbys streaming (seed: ${seed.primaries} primary + ${seed.replicas} replicas), replay lag ≤ ${REPLICATION_LAG_MAX_SEC} s`;
  return {
    name: 'postgres replication',
    required: primary !== undefined,
    async run(signal) {
      if (!primary) return { status: 'skip', observed: 'no postgres in the target', expected: seedText, fix: 'add postgres: { url: postgresql://user@primary:5432/db, passwordEnv: … } to check replication' };
      let read;
      try {
        read = await readReplication(primary.url, primary.passwordEnv ? env[primary.passwordEnv] : undefined, signal);
      } catch (err) {
        return { status: 'fail', observed: describeError(err), expected: seedText, fix: 'is PostgreSQL up, postgres.url right and its password in postgres.passwordEnv?' };
      }
      if (read.inRecovery) return { status: 'fail', observed: 'postgres.url is a standby (pg_is_in_recovery)', expected: 'the primary', fix: 'point postgres.url at the primary: pg_stat_replication is read there' };
      const streaming = read.replicas.filter((r) => r.state === 'streaming');
      const behind = streaming.filter((r) => r.replayLagSec !== null && r.replayLagSec > REPLICATION_LAG_MAX_SEC);
      const list = read.replicas.map((r) => `${r.name || '?'} ${r.state}${r.replayLagSec !== null ? ` lag ${r.replayLagSec.toFixed(1)} s` : ''}${r.replayLagBytes !== null ? ` ${Math.round(r.replayLagBytes)} B behind` : ''}`);
      const observed = `${streaming.length} streaming of ${read.replicas.length} standbys${list.length ? ` (${list.join('; ')})` : ''}${read.canSeeLag ? '' : '; lag not visible to this role'}`;
      const judged = judgeCapacity({ observed: streaming.length, seedMin: seed.replicas, load, seedText });
      if (judged.status === 'fail') return { ...judged, observed, fix: `${seed.replicas} streaming standbys` };
      if (behind.length > 0) return { status: 'warn', observed, expected: seedText, fix: `standbys ${behind.map((r) => r.name).join(', ')} are behind: reads from them are stale; check their I/O and network` };
      if (!read.canSeeLag && streaming.length > 0) return { status: 'warn', observed, expected: seedText, fix: 'GRANT pg_monitor TO the role in postgres.url so the lag can be read' };
      return { ...judged, observed, fix: judged.status === 'pass' ? undefined : `the seed runs ${seed.replicas} streaming standbys` };
    },
  };
}
