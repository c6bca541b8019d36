/**
 * Prometheus, promtool and the node exporter — every command line for them, and the HTTP calls the
 * stack makes (readiness, instant queries, target health).
 */
import { $ } from 'zx';
import type { Launch } from '../stack/process.ts';
import { PROBE_TIMEOUT_MS } from '../stack/readiness.ts';

export function prometheusLaunch(o: { configFile: string; storageDir: string; listen: string }): Launch {
  return {
    cmd: 'prometheus',
    args: [
      `--config.file=${o.configFile}`,
      `--storage.tsdb.path=${o.storageDir}`,
      `--web.listen-address=${o.listen}`,
      // Lets tests and the run reload the config or stop it over HTTP.
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=7d',
      '--log.level=warn',
    ],
  };
}

/** `promtool check config`: null when valid, else promtool's complaint. */
export async function promtoolCheckConfig(configFile: string): Promise<string | null> {
  const res = await $({ quiet: true, nothrow: true })`promtool check config ${configFile}`;
  return res.exitCode === 0 ? null : (res.stderr || res.stdout).trim();
}

export function nodeExporterLaunch(listen: string): Launch {
  return {
    cmd: 'prometheus-node-exporter',
    // The textfile collector's Debian default dir belongs to the system exporter; there is no
    // systemd here (its collector would log an error every scrape).
    args: [`--web.listen-address=${listen}`, '--no-collector.textfile', '--no-collector.systemd', '--log.level=warn'],
  };
}

/**
 * prometheus-process-exporter: CPU and memory per process group of its config
 * (stack/config/process-exporter-yml.ts). Per-thread series are off: nothing reads them, and they
 * multiply the series by every thread name of every matched process.
 */
export function processExporterLaunch(o: { configFile: string; listen: string }): Launch {
  return { cmd: 'prometheus-process-exporter', args: [`-config.path=${o.configFile}`, `-web.listen-address=${o.listen}`, '-threads=false'] };
}

/** /-/ready answers 200 once the TSDB is open and the config loaded. */
export async function prometheusReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/-/ready', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface ScrapeTarget {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** Active scrape targets and their last health (GET /api/v1/targets). */
export async function prometheusTargets(url: string): Promise<ScrapeTarget[]> {
  const res = await fetch(new URL('/api/v1/targets?state=active', url), { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`prometheus: /api/v1/targets answered ${res.status}`);
  const body = (await res.json()) as { data: { activeTargets: { labels: Record<string, string>; health: ScrapeTarget['health']; lastError: string }[] } };
  return body.data.activeTargets.map((t) => ({ job: t.labels.job ?? '', instance: t.labels.instance ?? '', health: t.health, lastError: t.lastError }));
}
