/** prometheus-node-exporter on loopback: the host's CPU, memory, sockets for the report. */
import { nodeExporterLaunch } from '../../clients/prometheus.ts';
import { tcp, type Component } from '../component.ts';
import { logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';
import { httpOk } from '../readiness.ts';

export const nodeExporter: Component = {
  name: 'node-exporter',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.nodeExporter, 'node-exporter')],
  processMarker: 'prometheus-node-exporter',
  readyTimeoutSec: 30,
  start: (ctx) =>
    startDetached(nodeExporterLaunch(`${ctx.host}:${ctx.ports.nodeExporter}`), logFileOf(ctx.layout, 'node-exporter'), pidFileOf(ctx.layout, 'node-exporter')),
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.nodeExporter}/metrics`),
};
