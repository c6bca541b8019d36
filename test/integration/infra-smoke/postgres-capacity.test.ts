// PostgreSQL replication and PgBouncer checks against real servers: a primary with two streaming
// standbys (pg_basebackup -R), then one standby stopped; a PgBouncer sized as the seed says
// (max_client_conn 5000) and one sized below it; a standby given as the primary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedLoad } from '../../../infra-smoke/check-set.ts';
import { pgbouncerCheck } from '../../../infra-smoke/checks/pgbouncer.ts';
import { postgresReplicationCheck } from '../../../infra-smoke/checks/postgres-replication.ts';
import { parseTarget, type Target } from '../../../lib/config/target.ts';
import { PROFILES } from '../../../lib/profiles.ts';
import { startThrowawayPgbouncer, startThrowawayStandby, type ThrowawayPgbouncer, type ThrowawayServer } from '../../helpers/throwaway-pg-standby.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../helpers/throwaway-postgres.ts';

const targetWith = (extra: string): Target =>
  parseTarget(`
name: pg-test
api: { baseUrl: http://127.0.0.1:1 }
signaling: { url: ws://127.0.0.1:1/ws }
livekit: { url: ws://127.0.0.1:1 }
prometheus: { url: http://127.0.0.1:1 }
${extra}
`);
const signal = () => AbortSignal.timeout(5000);
const smoke = plannedLoad(PROFILES.smoke);
const full = plannedLoad(PROFILES.full);

let primary: ThrowawayPostgres;
let standbys: ThrowawayServer[] = [];
let bouncer: ThrowawayPgbouncer;
let smallBouncer: ThrowawayPgbouncer;

beforeAll(async () => {
  primary = await startThrowawayPostgres();
  standbys = [await startThrowawayStandby(primary.port, 'gomeet', 'standby_a'), await startThrowawayStandby(primary.port, 'gomeet', 'standby_b')];
  bouncer = await startThrowawayPgbouncer(primary.port, { maxClientConn: 5000, defaultPoolSize: 25 });
  smallBouncer = await startThrowawayPgbouncer(primary.port, { maxClientConn: 100 });
});

afterAll(async () => {
  await bouncer?.stop();
  await smallBouncer?.stop();
  for (const s of standbys) await s.stop();
  await primary?.stop();
});

describe('postgres replication', () => {
  const primaryTarget = () => targetWith(`postgres: { url: "postgresql://gomeet@127.0.0.1:${primary.port}/gomeet" }`);

  it('sees both standbys streaming with their lag: 2 of the seed’s 3 → warn (smoke), fail at seed scale', async () => {
    const r = await postgresReplicationCheck(primaryTarget(), {}, smoke).run(signal());
    expect(r.observed).toMatch(/^2 streaming of 2 standbys \(standby_a streaming.* B behind; standby_b streaming.* B behind\)$/);
    expect(r.status).toBe('warn');
    expect((await postgresReplicationCheck(primaryTarget(), {}, full).run(signal())).status).toBe('fail');
  });

  it('a stopped standby is gone from pg_stat_replication', async () => {
    await standbys[1]!.stop();
    standbys = standbys.slice(0, 1);
    let r;
    for (let i = 0; i < 50; i++) {
      r = await postgresReplicationCheck(primaryTarget(), {}, smoke).run(signal());
      if (r.observed.startsWith('1 streaming of 1')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(r!.observed).toMatch(/^1 streaming of 1 standbys \(standby_a streaming/);
  });

  it('refuses a standby given as the primary', async () => {
    const r = await postgresReplicationCheck(targetWith(`postgres: { url: "postgresql://gomeet@127.0.0.1:${standbys[0]!.port}/postgres" }`), {}, smoke).run(signal());
    expect(r).toMatchObject({ status: 'fail', observed: 'postgres.url is a standby (pg_is_in_recovery)' });
  });

  it('fails when PostgreSQL does not answer', async () => {
    const r = await postgresReplicationCheck(targetWith('postgres: { url: "postgresql://gomeet@127.0.0.1:1/gomeet" }'), {}, smoke).run(signal());
    expect(r.status).toBe('fail');
    expect(r.observed).toMatch(/ECONNREFUSED/);
  });
});

describe('pgbouncer pool', () => {
  it('passes max_client_conn 5000 and reports the pools it hands out', async () => {
    const r = await pgbouncerCheck(targetWith(`pgbouncer: { url: "${bouncer.adminUrl}" }`), {}, smoke).run(signal());
    expect(r.status).toBe('pass');
    expect(r.observed).toBe('max_client_conn 5,000, pool_mode transaction, default_pool_size 25, pools: gomeet 25');
  });

  it('warns below the seed for smoke, fails at seed scale, with the setting to change', async () => {
    const target = targetWith(`pgbouncer: { url: "${smallBouncer.adminUrl}" }`);
    const r = await pgbouncerCheck(target, {}, smoke).run(signal());
    expect(r.status).toBe('warn');
    expect(r.fix).toMatch(/max_client_conn = 5000/);
    expect((await pgbouncerCheck(target, {}, full).run(signal())).status).toBe('fail');
  });
});
