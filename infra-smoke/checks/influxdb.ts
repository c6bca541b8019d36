/**
 * InfluxDB, when the target has one: it is where every runner's samples go and where the verdict
 * reads them back, so it must answer /ping and hold the target's database.
 */
import type { Target } from '../../lib/config/target.ts';
import { describeError, type Check } from '../check.ts';

export function influxdbCheck(target: Target, env: NodeJS.ProcessEnv): Check {
  const store = target.influxdb;
  return {
    name: 'influxdb',
    required: store !== undefined,
    async run(signal) {
      if (!store) return { status: 'skip', observed: 'no influxdb in the target', expected: 'a sample store for N runners', fix: 'add influxdb: { url: … } for runs with more than one runner' };
      const expected = `/ping 204 and database ${store.database} exists`;
      const auth: Record<string, string> = env.GOMEET_INFLUXDB_USERNAME
        ? { authorization: `Basic ${Buffer.from(`${env.GOMEET_INFLUXDB_USERNAME}:${env.GOMEET_INFLUXDB_PASSWORD ?? ''}`).toString('base64')}` }
        : {};
      try {
        const ping = await fetch(new URL('/ping', store.url), { headers: auth, signal });
        if (ping.status !== 204) return { status: 'fail', observed: `/ping answered ${ping.status}`, expected, fix: 'is influxdb.url an InfluxDB 1.x HTTP endpoint?' };
        const res = await fetch(new URL('/query', store.url), { method: 'POST', headers: auth, body: new URLSearchParams({ q: 'SHOW DATABASES' }), signal });
        const body = (await res.json()) as { results?: { series?: { values?: string[][] }[]; error?: string }[]; error?: string };
        const error = body.error ?? body.results?.[0]?.error;
        if (!res.ok || error) return { status: 'fail', observed: `SHOW DATABASES: ${error ?? res.status}`, expected, fix: 'check the InfluxDB credentials (GOMEET_INFLUXDB_USERNAME/PASSWORD)' };
        const names = (body.results?.[0]?.series?.[0]?.values ?? []).map((v) => v[0]);
        return names.includes(store.database)
          ? { status: 'pass', observed: `${store.url}: up, database ${store.database}`, expected }
          : { status: 'fail', observed: `database ${store.database} missing (has: ${names.join(', ') || 'none'})`, expected, fix: `CREATE DATABASE "${store.database}"` };
      } catch (err) {
        return { status: 'fail', observed: `${store.url}: ${describeError(err)}`, expected, fix: 'is InfluxDB up and influxdb.url right? For the local stack: gomeet-capacity stack up' };
      }
    },
  };
}
