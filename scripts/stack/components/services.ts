/**
 * The reference GoMeet services (stack/services): the api process and the signaling process (one
 * worker per signaling port), bundled by esbuild first (build-services.ts: a bundle starts in under a
 * second, where tsx transpiling the source in every worker took minutes on a busy machine). `node
 * <bundle>` directly: the pid we record is the service itself, not a wrapper.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../tools/paths.ts';
import { tcp, type Component, type StackContext } from '../component.ts';
import { logFileOf, pidFileOf } from '../layout.ts';
import { startDetached, type Launch } from '../process.ts';
import { httpOk } from '../readiness.ts';
import { serviceEnv } from '../service-env.ts';
import { bundlePathOf, ensureServicesBuilt } from '../build-services.ts';

const API_MAIN = 'stack/services/api/main.ts';
const SIGNALING_MAIN = 'stack/services/signaling/main.ts';

const ENTRIES = [API_MAIN, SIGNALING_MAIN];

async function serviceLaunch(main: string, ctx: StackContext): Promise<Launch> {
  await ensureServicesBuilt(ENTRIES);
  return { cmd: process.execPath, args: ['--enable-source-maps', bundlePathOf(main)], env: serviceEnv(ctx), cwd: PROJECT_ROOT };
}

async function missing(main: string): Promise<string | null> {
  return existsSync(join(PROJECT_ROOT, main)) ? null : `${main} does not exist in this checkout`;
}

export const api: Component = {
  name: 'api',
  dependsOn: ['postgres', 'redis'],
  ports: (ctx) => [tcp(ctx.ports.api, 'api')],
  processMarker: 'stack/services/api/main',
  // First start applies the schema and seeds 1000 users (password hashing): allow for it.
  readyTimeoutSec: 120,
  unavailable: () => missing(API_MAIN),
  start: async (ctx) => startDetached(await serviceLaunch(API_MAIN, ctx), logFileOf(ctx.layout, 'api'), pidFileOf(ctx.layout, 'api')),
  healthy: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.api}/health`, 200),
};

export const signaling: Component = {
  name: 'signaling',
  // Not after the api, although the api applies the schema: workers read meetings only when a
  // session joins, and `up` returns once both are ready. Starting both together saves ~5 s.
  dependsOn: ['postgres', 'redis'],
  ports: (ctx) => ctx.ports.signaling.map((p) => tcp(p, 'signaling')),
  processMarker: 'stack/services/signaling/main',
  readyTimeoutSec: 120,
  unavailable: () => missing(SIGNALING_MAIN),
  start: async (ctx) =>
    startDetached(await serviceLaunch(SIGNALING_MAIN, ctx), logFileOf(ctx.layout, 'signaling'), pidFileOf(ctx.layout, 'signaling')),
  async healthy(ctx) {
    const answers = await Promise.all(ctx.ports.signaling.map((p) => httpOk(`http://${ctx.host}:${p}/health`, 200)));
    return answers.every(Boolean);
  },
};
