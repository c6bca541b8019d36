/**
 * Prometheus scraping every server of the stack every 5 s. It starts with the first wave (targets
 * that are not up yet are simply "down" for a scrape or two), so it never delays the stack.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { renderPrometheusYml } from '../../../stack/config/prometheus-yml.ts';
import { prometheusLaunch, prometheusReady } from '../../clients/prometheus.ts';
import { tcp, type Component, type StackContext } from '../component.ts';
import { configFileOf, dataDirOf, logFileOf, pidFileOf } from '../layout.ts';
import { startDetached } from '../process.ts';

export const prometheusUrl = (ctx: StackContext): string => `http://${ctx.host}:${ctx.ports.prometheus}`;

export function prometheusConfig(ctx: StackContext): string {
  const p = ctx.ports;
  return renderPrometheusYml({
    host: ctx.host,
    prometheus: p.prometheus,
    nodeExporter: p.nodeExporter,
    redisExporter: p.redisExporter,
    postgresExporter: p.postgresExporter,
    processExporter: p.processExporter,
    livekitPrometheus: p.livekitPrometheus,
    api: p.api,
    signaling: p.signaling,
  });
}

export const prometheus: Component = {
  name: 'prometheus',
  dependsOn: [],
  ports: (ctx) => [tcp(ctx.ports.prometheus, 'prometheus')],
  processMarker: 'prometheus',
  readyTimeoutSec: 60,
  async start(ctx) {
    const storageDir = dataDirOf(ctx.layout, 'prometheus');
    await mkdir(storageDir, { recursive: true });
    const configFile = configFileOf(ctx.layout, 'prometheus.yml');
    await writeFile(configFile, prometheusConfig(ctx));
    const launch = prometheusLaunch({ configFile, storageDir, listen: `${ctx.host}:${ctx.ports.prometheus}` });
    return startDetached(launch, logFileOf(ctx.layout, 'prometheus'), pidFileOf(ctx.layout, 'prometheus'));
  },
  healthy: (ctx) => prometheusReady(prometheusUrl(ctx)),
};
