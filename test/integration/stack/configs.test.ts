// The generated prometheus.yml passes the real promtool; the others are proven by `stack up`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promtoolCheckConfig } from '../../../scripts/clients/prometheus.ts';
import { renderPrometheusYml } from '../../../stack/config/prometheus-yml.ts';
import { PORTS } from '../../../stack/ports.ts';

describe('prometheus.yml', () => {
  it('is accepted by promtool, and a broken one is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promtool-'));
    try {
      const good = join(dir, 'good.yml');
      await writeFile(
        good,
        renderPrometheusYml({
          host: '127.0.0.1',
          prometheus: PORTS.prometheus,
          nodeExporter: PORTS.nodeExporter,
          redisExporter: PORTS.redisExporter,
          postgresExporter: PORTS.postgresExporter,
          processExporter: PORTS.processExporter,
          livekitPrometheus: PORTS.livekitPrometheus,
          api: PORTS.api,
          signaling: [...PORTS.signaling],
        }),
      );
      expect(await promtoolCheckConfig(good)).toBeNull();
      const bad = join(dir, 'bad.yml');
      await writeFile(bad, 'global:\n  scrape_interval: soon\n');
      expect(await promtoolCheckConfig(bad)).toMatch(/scrape_interval|duration/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
