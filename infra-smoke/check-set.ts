/**
 * The one set of checks `smoke` shows and `run` gates on (through preflight.ts), and how a profile
 * decides which of them block load:
 *
 *   endpoints    api health, api login, signaling handshake, livekit validate, turn allocate,
 *                prometheus, influxdb
 *   capacity     redis maxclients, redis cluster, pgbouncer pool, postgres replication,
 *                livekit nodes — judged against the seed (thresholds/sizing.ts) and the
 *                profile's planned load (capacity.ts)
 *
 * A check of something the target does not configure is `skip`, never `pass`. More checks (e.g. the
 * gateway's rate limits) join by being added to `smokeChecks`.
 */
import type { Target } from '../lib/config/target.ts';
import type { Profile } from '../lib/profiles.ts';
import { THRESHOLD_TABLE } from '../thresholds/table.ts';
import { SEED_SIZING } from '../thresholds/sizing.ts';
import type { PlannedLoad } from './capacity.ts';
import type { Check } from './check.ts';
import { apiHealthCheck, apiLoginCheck } from './checks/api.ts';
import { influxdbCheck } from './checks/influxdb.ts';
import { livekitNodesCheck } from './checks/livekit-nodes.ts';
import { livekitCheck } from './checks/livekit.ts';
import { pgbouncerCheck } from './checks/pgbouncer.ts';
import { postgresReplicationCheck } from './checks/postgres-replication.ts';
import { prometheusCheck } from './checks/prometheus.ts';
import { redisClusterCheck, redisMaxClientsCheck } from './checks/redis.ts';
import { signalingHandshakeCheck } from './checks/signaling.ts';
import { turnCheck } from './checks/turn.ts';

export interface CheckSetOptions {
  /** Whether a Prometheus failure blocks load (true once the profile gates a server-side row). */
  prometheusRequired: boolean;
  /** Whether LiveKit (and its node count) blocks load (true when the profile gates a media row). */
  livekitRequired: boolean;
  /** The load about to be sent; capacity below what it needs blocks it. Absent: the seed alone. */
  load?: PlannedLoad;
}

const gatesSource = (profile: Profile, kind: 'prometheus' | 'media'): boolean =>
  THRESHOLD_TABLE.some((row) => row.source.kind === kind && profile.gates.includes(row.id));

export function plannedLoad(profile: Profile): PlannedLoad {
  return {
    profile: profile.name,
    connections: profile.websocket.connections,
    sfuParticipants: profile.sfu.rooms * profile.sfu.participantsPerRoom,
    seedScale: profile.websocket.connections >= SEED_SIZING.loadTest.totalParticipants,
  };
}

/** What `run --profile P` gates on, and what `smoke --profile P` shows: the same options. */
export function checkSetOptionsFor(profile: Profile): CheckSetOptions {
  return { prometheusRequired: gatesSource(profile, 'prometheus'), livekitRequired: gatesSource(profile, 'media'), load: plannedLoad(profile) };
}

export function smokeChecks(target: Target, env: NodeJS.ProcessEnv, opts: CheckSetOptions): Check[] {
  const { load } = opts;
  return [
    apiHealthCheck(target),
    apiLoginCheck(target, env),
    signalingHandshakeCheck(target),
    livekitCheck(target, env, opts.livekitRequired),
    turnCheck(target, env),
    prometheusCheck(target, opts.prometheusRequired),
    influxdbCheck(target, env),
    redisMaxClientsCheck(target, env, load),
    redisClusterCheck(target, env, load),
    pgbouncerCheck(target, env, load),
    postgresReplicationCheck(target, env, load),
    livekitNodesCheck(target, opts.livekitRequired, load),
  ];
}
