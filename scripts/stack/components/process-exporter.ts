/**
 * prometheus-process-exporter on loopback: PostgreSQL's CPU and memory summed over the postmaster
 * and its backends (see stack/config/process-exporter-yml.ts for why only PostgreSQL). It needs
 * nothing running to start: the postmaster is matched whenever it appears.
 */
import { writeFile } from 'node:fs/promises';
import { renderProcessExporterYml } from '../../../stack/config/process-exporter-yml.ts';
import { PG_BIN } from '../../clients/postgres.ts';
import { processExporterLaunch } from '../../clients/prometheus.ts';
import { tcp, type Component } from '../component.ts';
import { configFileOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';
import { postgresDataDir } from './postgres.ts';

export const processExporter: Component = {
  name: 'process-exporter',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.processExporter, 'process-exporter')],
  processMarker: 'prometheus-process-exporter',
  readyTimeoutSec: 30,
  async start(ctx) {
    const configFile = configFileOf(ctx.layout, 'process-exporter.yml');
    await writeFile(configFile, renderProcessExporterYml({ postgresBinary: `${PG_BIN}/postgres`, postgresDataDir: postgresDataDir(ctx) }));
    const launch = processExporterLaunch({ configFile, listen: `${ctx.host}:${ctx.ports.processExporter}` });
    return startDetached(launch, logFileOf(ctx.layout, 'process-exporter'), pidFileOf(ctx.layout, 'process-exporter'));
  },
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.processExporter}/metrics`),
};
