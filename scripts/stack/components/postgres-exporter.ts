/** prometheus-postgres-exporter, logged in as `gomeet` (member of pg_monitor); the DSN is in its env. */
import { postgresExporterLaunch } from '../../clients/postgres.ts';
import { tcp, type Component } from '../component.ts';
import { logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';
import { pgUrl } from '../service-env.ts';

export const postgresExporter: Component = {
  name: 'postgres-exporter',
  dependsOn: ['postgres'],
  ports: (ctx) => [tcp(ctx.ports.postgresExporter, 'postgres-exporter')],
  processMarker: 'prometheus-postgres-exporter',
  readyTimeoutSec: 60,
  start: (ctx) =>
    startDetached(postgresExporterLaunch(ctx.host, ctx.ports.postgresExporter, pgUrl(ctx)), logFileOf(ctx.layout, 'postgres-exporter'), pidFileOf(ctx.layout, 'postgres-exporter')),
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.postgresExporter}/metrics`),
};
