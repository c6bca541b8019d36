/**
 * toxiproxy (github.com/Shopify/toxiproxy/v2) for the verdict matrix: the pinned server built from
 * the Go module proxy with the suite's recipe (scripts/tools/go-build.ts) into .local/tools/, started
 * on 127.0.0.1, and a minimal client of its REST API (proxies and toxics).
 *
 * Why the pin lives here and not in scripts/tools/pins.ts: ensureTool verifies a binary by running
 * it for its version, and a `go build` of toxiproxy prints `version git` (its version is stamped by
 * -ldflags in its release builds only). This one is verified with `go version -m` (the module
 * version recorded in the binary's build info) instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { buildGoTool } from '../../scripts/tools/go-build.ts';
import type { GoToolPin } from '../../scripts/tools/pins.ts';
import { TOOLS_DIR } from '../../scripts/tools/paths.ts';

export const TOXIPROXY_PIN: GoToolPin = {
  name: 'toxiproxy-server',
  module: 'github.com/Shopify/toxiproxy/v2',
  version: 'v2.5.0',
  buildPackage: 'github.com/Shopify/toxiproxy/v2/cmd/server',
  versionArgs: ['-version'],
  versionPattern: /version (v?\d+\.\d+\.\d+\S*)/m,
  typicalBuildSec: 120,
};

/** The pinned toxiproxy-server's path, built into .local/tools/ when missing. */
export async function ensureToxiproxy(log: (line: string) => void = console.error): Promise<string> {
  const dest = join(TOOLS_DIR, TOXIPROXY_PIN.name);
  if (await isPinned(dest)) return dest;
  await mkdir(TOOLS_DIR, { recursive: true });
  await buildGoTool(TOXIPROXY_PIN, dest, log);
  if (!(await isPinned(dest))) throw new Error(`${dest} is not ${TOXIPROXY_PIN.module} ${TOXIPROXY_PIN.version}`);
  return dest;
}

async function isPinned(bin: string): Promise<boolean> {
  try {
    await access(bin, constants.X_OK);
  } catch {
    return false;
  }
  const out = await $({ quiet: true, nothrow: true })`go version -m ${bin}`;
  return new RegExp(`\\bmod\\s+${TOXIPROXY_PIN.module.replace(/[./]/g, '\\$&')}\\s+${TOXIPROXY_PIN.version}\\b`).test(out.stdout);
}

export interface Toxiproxy {
  apiPort: number;
  /** Creates a proxy listening on a free 127.0.0.1 port; returns that port. */
  addProxy(name: string, upstreamPort: number): Promise<number>;
  addToxic(proxy: string, toxic: { name: string; type: string; stream?: 'upstream' | 'downstream'; attributes: Record<string, number> }): Promise<void>;
  removeToxic(proxy: string, name: string): Promise<void>;
  /** Removes every proxy (and its toxics): a clean slate for the next fault. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startToxiproxy(bin: string, apiPort: number, logFile: string): Promise<Toxiproxy> {
  const log = await open(logFile, 'a');
  const child: ChildProcess = spawn(bin, ['-host', '127.0.0.1', '-port', String(apiPort)], { stdio: ['ignore', log.fd, log.fd], env: { ...process.env, LOG_LEVEL: 'info' } });
  const base = `http://127.0.0.1:${apiPort}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(base + path, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${text.trim()}`);
    return text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`toxiproxy-server exited (${child.exitCode}); see ${logFile}`);
    try {
      await call('GET', '/version');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`toxiproxy-server not ready within 20 s; see ${logFile}`);
      }
      await sleep(200);
    }
  }
  return {
    apiPort,
    async addProxy(name, upstreamPort) {
      const p = (await call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}`, enabled: true })) as { listen: string };
      const port = Number(p.listen.split(':').pop());
      if (!Number.isInteger(port) || port <= 0) throw new Error(`toxiproxy proxy ${name} listens on ${p.listen}`);
      return port;
    },
    async addToxic(proxy, t) {
      await call('POST', `/proxies/${proxy}/toxics`, { name: t.name, type: t.type, stream: t.stream ?? 'downstream', toxicity: 1, attributes: t.attributes });
    },
    async removeToxic(proxy, name) {
      await call('DELETE', `/proxies/${proxy}/toxics/${name}`);
    },
    async reset() {
      const proxies = (await call('GET', '/proxies')) as Record<string, unknown>;
      for (const name of Object.keys(proxies)) await call('DELETE', `/proxies/${name}`);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await log.close();
    },
  };
}
