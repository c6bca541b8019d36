/** InfluxDB 1.x for k6's client-side samples: every listener on loopback, database `k6` created. */
import { mkdir, writeFile } from 'node:fs/promises';
import { renderInfluxConf } from '../../../stack/config/influxdb-conf.ts';
import { influxCreateDatabase, influxdLaunch, influxPing } from '../../clients/influx.ts';
import { tcp, type Component, type StackContext } from '../component.ts';
import { configFileOf, dataDirOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';

/** The database k6 writes to (target.yaml's influxdb.database). */
export const INFLUX_DATABASE = 'k6';

export const influxUrl = (ctx: StackContext): string => `http://${ctx.host}:${ctx.ports.influxdb}`;

export const influxdb: Component = {
  name: 'influxdb',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.influxdb, 'influxdb'), tcp(ctx.ports.influxdbRpc, 'influxdb')],
  processMarker: 'influxd',
  readyTimeoutSec: 60,
  async start(ctx) {
    const dir = dataDirOf(ctx.layout, 'influxdb');
    await mkdir(dir, { recursive: true });
    const conf = configFileOf(ctx.layout, 'influxdb.conf');
    await writeFile(conf, renderInfluxConf({ httpPort: ctx.ports.influxdb, rpcPort: ctx.ports.influxdbRpc, dir }));
    return startDetached(influxdLaunch(conf), logFileOf(ctx.layout, 'influxdb'), pidFileOf(ctx.layout, 'influxdb'));
  },
  healthy: (ctx) => influxPing(influxUrl(ctx)),
  async afterReady(ctx) {
    await influxCreateDatabase(influxUrl(ctx), INFLUX_DATABASE);
  },
};
