/**
 * A throwaway InfluxDB 1.x for integration tests: influxd with the local stack's config
 * (stack/config/influxdb-conf.ts: every listener on loopback) on two free ports and a temp dir,
 * database created, stopped and removed on stop(). Never the stack's 18086.
 *
 *   const influx = await startThrowawayInfluxd();   // influx.url = http://127.0.0.1:<port>
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderInfluxConf } from '../../stack/config/influxdb-conf.ts';
import { stopChild, tailOf, track } from './child-processes.ts';
import { freePorts } from './free-port.ts';

const READY_TIMEOUT_MS = 30_000;

export interface ThrowawayInfluxd {
  url: string;
  database: string;
  stop(): Promise<void>;
}

export async function startThrowawayInfluxd(database = 'k6'): Promise<ThrowawayInfluxd> {
  const [httpPort, rpcPort] = (await freePorts(2)) as [number, number];
  const dir = await mkdtemp(join(tmpdir(), 'gomeet-influxd-'));
  const conf = join(dir, 'influxdb.conf');
  await writeFile(conf, renderInfluxConf({ httpPort, rpcPort, dir }));
  const child = spawn('influxd', ['run', '-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const output = tailOf(child);
  const stop = async () => {
    await stopChild(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const ping = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2000) });
      if (ping.status === 204) {
        const created = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${database}"` }) });
        if (!created.ok) throw new Error(`CREATE DATABASE: HTTP ${created.status}`);
        return { url, database, stop };
      }
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`throwaway influxd did not start: ${err instanceof Error ? err.message : String(err)}\n${output()}`);
      }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`throwaway influxd did not answer /ping within ${READY_TIMEOUT_MS} ms (exit ${child.exitCode})\n${output()}`);
    }
    await sleep(200);
  }
}
