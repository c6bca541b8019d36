/**
 * The Debian packages the local stack and the probes run, each with a binary whose presence shows
 * it is installed. `setup` installs the missing ones with apt (as root) or names them (otherwise).
 */
import { existsSync } from 'node:fs';
import { $, which } from 'zx';

export interface DebianPackage {
  /** apt package name. */
  name: string;
  /** A binary it installs: a bare name looked up on PATH (+ sbin dirs), or an absolute path. */
  binary: string;
}

export const DEBIAN_PACKAGES: readonly DebianPackage[] = [
  { name: 'redis-server', binary: 'redis-server' },
  { name: 'postgresql', binary: '/usr/lib/postgresql/15/bin/postgres' },
  { name: 'prometheus', binary: 'prometheus' },
  { name: 'prometheus-node-exporter', binary: 'prometheus-node-exporter' },
  { name: 'prometheus-redis-exporter', binary: 'prometheus-redis-exporter' },
  { name: 'prometheus-postgres-exporter', binary: 'prometheus-postgres-exporter' },
  { name: 'prometheus-process-exporter', binary: 'prometheus-process-exporter' },
  { name: 'influxdb', binary: 'influxd' },
  { name: 'pgbouncer', binary: 'pgbouncer' },
  { name: 'coturn', binary: 'turnserver' },
  { name: 'haproxy', binary: 'haproxy' },
  { name: 'chromium', binary: 'chromium' },
  { name: 'ffmpeg', binary: 'ffmpeg' },
  { name: 'iproute2', binary: 'ss' },
  { name: 'procps', binary: 'ps' },
  // the host↔media-namespace bridges to livekit-server (scripts/clients/socat.ts)
  { name: 'socat', binary: 'socat' },
];

// Daemons live in sbin, which a non-root PATH often lacks.
const SEARCH_PATH = [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(':');

async function installed(pkg: DebianPackage): Promise<boolean> {
  if (pkg.binary.startsWith('/')) return existsSync(pkg.binary);
  return (await which(pkg.binary, { path: SEARCH_PATH, nothrow: true })) !== null;
}

/** Packages whose binary is absent. */
export async function missingDebianPackages(packages: readonly DebianPackage[] = DEBIAN_PACKAGES): Promise<DebianPackage[]> {
  const present = await Promise.all(packages.map(installed));
  return packages.filter((_, i) => !present[i]);
}

/** `apt-get update` then `apt-get install -y <names>`, output shown as it goes. */
export async function aptInstall(names: string[]): Promise<void> {
  const apt = $({ stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  await apt`apt-get update`;
  await apt`apt-get install -y ${names}`;
}
