// Pure parts of the local stack: port offsets, kernel list parsing, and the generated configs —
// what each must say for the stack to stay on loopback and hold secrets nowhere.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderInfluxConf } from '../../../stack/config/influxdb-conf.ts';
import { renderLivekitYaml } from '../../../stack/config/livekit-yaml.ts';
import { postgresMaxConnections, renderPostgresConf } from '../../../stack/config/postgresql-conf.ts';
import { PROMETHEUS_JOBS, renderPrometheusYml } from '../../../stack/config/prometheus-yml.ts';
import { renderPostgresExporterQueries, TOP_STATEMENTS } from '../../../stack/config/postgres-exporter-queries.ts';
import { POSTGRES_PROCESS_GROUP, renderProcessExporterYml } from '../../../stack/config/process-exporter-yml.ts';
import { renderRedisConf } from '../../../stack/config/redis-conf.ts';
import { PORTS, stackPorts } from '../../../stack/ports.ts';
import { formatReservedPorts, parseReservedPorts } from '../../../scripts/stack/kernel.ts';

describe('stackPorts', () => {
  it('is PORTS at offset 0 and shifts every port, lists included', () => {
    expect(stackPorts(0)).toEqual({ ...PORTS, signaling: [...PORTS.signaling] });
    const shifted = stackPorts(2300);
    expect(shifted.postgres).toBe(PORTS.postgres + 2300);
    expect(shifted.signaling).toEqual(PORTS.signaling.map((p) => p + 2300));
    expect(Object.keys(shifted).sort()).toEqual(Object.keys(PORTS).sort());
  });

  it('refuses offsets that leave the usable port range', () => {
    expect(() => stackPorts(50_000)).toThrow(/outside 1024\.\.65535/);
    expect(() => stackPorts(-13_000)).toThrow(/outside 1024\.\.65535/);
    expect(() => stackPorts(1.5)).toThrow(/integer/);
  });
});

describe('reserved port lists', () => {
  it('reads the kernel list format', () => {
    expect([...parseReservedPorts('')]).toEqual([]);
    expect([...parseReservedPorts('8080,9000-9002\n')].sort()).toEqual([8080, 9000, 9001, 9002]);
  });

  it('writes it back with runs collapsed, whatever the order', () => {
    expect(formatReservedPorts([9002, 8080, 9000, 9001, 9001])).toBe('8080,9000-9002');
    expect(formatReservedPorts([])).toBe('');
    const big = parseReservedPorts('1000-5000,7000');
    expect(formatReservedPorts(big)).toBe('1000-5000,7000');
  });
});

describe('generated configs', () => {
  it('redis: loopback, no persistence, the memory and client caps', () => {
    const conf = renderRedisConf({ port: 16379, dir: '/x/redis' });
    for (const line of ['bind 127.0.0.1', 'port 16379', 'save ""', 'appendonly no', 'maxmemory 256mb', 'maxmemory-policy noeviction', 'maxclients 50000', 'dir /x/redis']) {
      expect(conf.split('\n')).toContain(line);
    }
  });

  it('influxdb: every bind-address on loopback, reporting off', () => {
    const conf = renderInfluxConf({ httpPort: 18086, rpcPort: 18088, dir: '/x/influx' });
    const binds = [...conf.matchAll(/bind-address = "([^"]+)"/g)].map((m) => m[1]);
    expect(binds.sort()).toEqual(['127.0.0.1:18086', '127.0.0.1:18088']);
    expect(conf).toContain('reporting-disabled = true');
    for (const d of ['/x/influx/meta', '/x/influx/data', '/x/influx/wal']) expect(conf).toContain(`"${d}"`);
  });

  it('livekit: loopback only, ICE/TCP off, local STUN, no keys in the file', () => {
    const doc = parse(renderLivekitYaml({ httpPort: 17880, udpPort: 17882, prometheusPort: 17889, stunServer: '127.0.0.1:13478' }));
    expect(doc.bind_addresses).toEqual(['127.0.0.1']);
    expect(doc.rtc.tcp_port).toBe(0);
    expect(doc.rtc.udp_port).toBe(17882);
    expect(doc.rtc.node_ip).toBe('127.0.0.1');
    expect(doc.rtc.use_external_ip).toBe(false);
    expect(doc.rtc.enable_loopback_candidate).toBe(true);
    expect(doc.rtc.stun_servers).toEqual(['127.0.0.1:13478']);
    expect(doc.rtc.ips.includes).toEqual(['127.0.0.1/32']);
    expect(doc.prometheus.port).toBe(17889);
    // Without it livekit-server never fills livekit_forward_latency_ns (the forwarding-latency context).
    expect(doc.rtc.forward_stats).toEqual({ summary_interval: '1s', report_interval: '5s', report_window: '30s' });
    expect(doc.keys).toBeUndefined();
  });

  it('prometheus: every job, every signaling worker, 5 s interval', () => {
    const doc = parse(
      renderPrometheusYml({ host: '127.0.0.1', prometheus: 1, nodeExporter: 2, redisExporter: 3, postgresExporter: 4, processExporter: 10, livekitPrometheus: 5, api: 6, signaling: [7, 8, 9] }),
    );
    expect(doc.global.scrape_interval).toBe('5s');
    const jobs = doc.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[];
    expect(jobs.map((j) => j.job_name)).toEqual([...PROMETHEUS_JOBS]);
    const targets = jobs.flatMap((j) => j.static_configs[0]!.targets);
    expect(targets).toEqual([1, 2, 3, 4, 10, 5, 6, 7, 8, 9].map((p) => `127.0.0.1:${p}`));
  });

  it('postgres: loopback, socket dir, pg_stat_statements, room for both service pools', () => {
    const conf = renderPostgresConf({ port: 15432, socketDir: '/x/run/pg', maxConnections: postgresMaxConnections(20, 2) });
    expect(conf).toContain("listen_addresses = '127.0.0.1'");
    expect(conf).toContain("unix_socket_directories = '/x/run/pg'");
    expect(conf).toContain("shared_preload_libraries = 'pg_stat_statements'");
    expect(postgresMaxConnections(20, 2)).toBe(100);
    expect(postgresMaxConnections(100, 2)).toBe(220);
  });

  it('process-exporter: one group, this cluster\'s postmaster only (its data dir, literally)', () => {
    const doc = parse(renderProcessExporterYml({ postgresBinary: '/usr/lib/postgresql/15/bin/postgres', postgresDataDir: '/x/.local/stack/data/postgres/cluster' }));
    expect(doc.process_names).toHaveLength(1);
    const group = doc.process_names[0];
    expect(group.name).toBe(POSTGRES_PROCESS_GROUP);
    const re = new RegExp(group.cmdline[0]);
    expect(re.test('/usr/lib/postgresql/15/bin/postgres -D /x/.local/stack/data/postgres/cluster')).toBe(true);
    // Another stack's cluster, or a path that only matches because '.' is a wildcard, is not ours.
    expect(re.test('/usr/lib/postgresql/15/bin/postgres -D /tmp/gomeet-stack-test-1/data/postgres/cluster')).toBe(false);
    expect(re.test('/usr/lib/postgresql/15/bin/postgres -D /x/xlocal/stack/data/postgres/cluster')).toBe(false);
    expect(re.test('/usr/lib/postgresql/15/bin/postgres -D /x/.local/stack/data/postgres/cluster2')).toBe(false);
  });

  it('postgres-exporter queries: pg_stat_statements per database and top statements, no statement text', () => {
    const doc = parse(renderPostgresExporterQueries());
    expect(Object.keys(doc).sort()).toEqual(['pg_stat_statements', 'pg_stat_statements_database']);
    for (const q of Object.values(doc) as { query: string; metrics: Record<string, { usage: string }>[] }[]) {
      expect(q.query).toMatch(/FROM pg_stat_statements s/);
      expect(q.query).toMatch(/current_database\(\)/);
      const labels = q.metrics.flatMap((m) => Object.entries(m)).filter(([, v]) => v.usage === 'LABEL').map(([k]) => k);
      expect(labels).not.toContain('query');
    }
    expect(doc.pg_stat_statements.query).toContain(`LIMIT ${TOP_STATEMENTS}`);
  });
});
