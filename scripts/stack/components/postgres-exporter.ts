/**
 * prometheus-postgres-exporter, logged in as `gomeet` (member of pg_monitor); the DSN is in its env.
 * It also runs the stack's pg_stat_statements queries (stack/config/postgres-exporter-queries.ts).
 */
import { writeFile } from 'node:fs/promises';
import { renderPostgresExporterQueries } from '../../../stack/config/postgres-exporter-queries.ts';
import { postgresExporterLaunch } from '../../clients/postgres.ts';
import { tcp, type Component } from '../component.ts';
import { configFileOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';
import { pgUrl } from '../service-env.ts';

export const postgresExporter: Component = {
  name: 'postgres-exporter',
  dependsOn: ['postgres'],
  ports: (ctx) => [tcp(ctx.ports.postgresExporter, 'postgres-exporter')],
  processMarker: 'prometheus-postgres-exporter',
  readyTimeoutSec: 60,
  async start(ctx) {
    const queries = configFileOf(ctx.layout, 'postgres-exporter-queries.yaml');
    await writeFile(queries, renderPostgresExporterQueries());
    const launch = postgresExporterLaunch(ctx.host, ctx.ports.postgresExporter, pgUrl(ctx), queries);
    return startDetached(launch, logFileOf(ctx.layout, 'postgres-exporter'), pidFileOf(ctx.layout, 'postgres-exporter'));
  },
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.postgresExporter}/metrics`),
};
