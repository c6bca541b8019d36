/**
 * `stack up`: bring every component up, in parallel where independent.
 *
 *  1. probe each component (pidfile + health): all up → say so, refresh target.yaml, done
 *  2. widen the ephemeral port range (root) and check every port still needed is free
 *  3. start each missing component once its dependencies are ready; wait for its health probe
 *     (on timeout or early exit: print its log's last 20 lines and fail)
 *  4. on any failure, stop what this call started (what was already running stays)
 *  5. write target.yaml and print its path
 */
import { UsageError } from '../exit-codes.ts';
import { formatPorts, type Component, type StackContext } from './component.ts';
import { COMPONENTS } from './components/index.ts';
import { widenEphemeralPorts } from './kernel.ts';
import { logFileOf, pidFileOf } from './layout.ts';
import { assertPortsFree } from './port-check.ts';
import { probeAll, type ComponentProbe } from './probe.ts';
import { isAlive, removePidFile } from './process.ts';
import { tailLog, waitUntil } from './readiness.ts';
import { stopComponent } from './stop.ts';
import { writeTargetFile } from './target-file.ts';

export interface UpOptions {
  /** Components to restart even if up (e.g. the api after --api-delay-ms). */
  restart?: string[];
  components?: readonly Component[];
}

export interface UpResult {
  targetFile: string;
  /** Components this call started (empty when the stack was already up). */
  started: string[];
  /** Components that could not be started here and why (e.g. a service not written yet). */
  skipped: { name: string; reason: string }[];
}

const LOG_TAIL_LINES = 20;

/** A component that did not come up: one line for the CLI (it is a UsageError: no load was sent). */
class ComponentFailed extends UsageError {}
/** Not started because something it needs failed; the root cause is reported instead. */
class DependencyFailed extends ComponentFailed {}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function waitReady(c: Component, ctx: StackContext, pid: number | null): Promise<void> {
  let died = false;
  const ready = await waitUntil(async () => {
    if (pid !== null && !(await isAlive(pid))) {
      died = true;
      return true;
    }
    return c.healthy(ctx);
  }, c.readyTimeoutSec * 1000, 150);
  if (ready && !died) return;
  const log = logFileOf(ctx.layout, c.name);
  const why = died ? 'exited during start' : `was not ready within ${c.readyTimeoutSec} s`;
  const tail = await tailLog(log, LOG_TAIL_LINES);
  ctx.onProgress(`  ✗ ${c.name} ${why}; last ${LOG_TAIL_LINES} lines of ${log}:`);
  for (const line of (tail || '(log is empty)').split('\n')) ctx.onProgress(`    | ${line}`);
  throw new ComponentFailed(`${c.name} ${why} (log: ${log})`);
}

export async function stackUp(ctx: StackContext, opts: UpOptions = {}): Promise<UpResult> {
  const all = opts.components ?? COMPONENTS;
  const restart = new Set(opts.restart ?? []);
  const t0 = Date.now();
  const probes = new Map((await probeAll(all, ctx)).map((p) => [p.component.name, p] as const));

  const unhealthy = [...probes.values()].filter((p) => p.state === 'unhealthy' && !restart.has(p.component.name));
  for (const p of unhealthy) {
    // Alive but not answering: maybe still starting (another `up`), maybe wedged. Give it its time.
    ctx.onProgress(`stack: ${p.component.name} (pid ${p.pid}) is running but not ready yet; waiting`);
    await waitReady(p.component, ctx, p.pid);
  }

  for (const name of restart) {
    const p = probes.get(name);
    if (p?.pid) {
      ctx.onProgress(`stack: restarting ${name}`);
      await stopComponent(p.component, ctx, p.pid);
    }
  }

  const needsStart = (p: ComponentProbe): boolean => p.state === 'down' || restart.has(p.component.name);
  const skipped: UpResult['skipped'] = [];
  const toStart: Component[] = [];
  for (const c of all) {
    const probe = probes.get(c.name) as ComponentProbe;
    if (!needsStart(probe)) continue;
    const own = (await c.unavailable?.(ctx)) ?? null;
    const blockedBy = c.dependsOn.find((d) => skipped.some((s) => s.name === d));
    if (own) skipped.push({ name: c.name, reason: own });
    else if (blockedBy) skipped.push({ name: c.name, reason: `needs ${blockedBy}, which is not running` });
    else toStart.push(c);
  }

  if (toStart.length === 0) {
    const targetFile = await writeTargetFile(ctx);
    ctx.onProgress(`stack: already up and healthy (${all.length - skipped.length} components)`);
    for (const s of skipped) ctx.onProgress(`  ! ${s.name} NOT RUNNING: ${s.reason}`);
    return { targetFile, started: [], skipped };
  }

  ctx.onProgress(await widenEphemeralPorts(all.flatMap((c) => c.ports(ctx).map((p) => p.port))));
  await assertPortsFree(ctx.host, toStart.flatMap((c) => c.ports(ctx)));

  ctx.onProgress(`stack: starting ${toStart.map((c) => c.name).join(', ')} (state in ${ctx.layout.root})`);
  /** What this call spawned, with the pid it got: cleanup must not depend on a probe. */
  const started = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const launch = async (c: Component): Promise<void> => {
    const deps = await Promise.allSettled(c.dependsOn.map((d) => running.get(d) ?? Promise.resolve()));
    if (deps.some((d) => d.status === 'rejected')) throw new DependencyFailed(`${c.name} not started: a dependency failed`);
    const startedAt = Date.now();
    const pid = await c.start(ctx);
    started.set(c.name, pid);
    await waitReady(c, ctx, pid);
    const note = await c.afterReady?.(ctx);
    const took = `${seconds(Date.now() - startedAt)} (at +${seconds(Date.now() - t0)})`;
    ctx.onProgress(`  ✓ ${c.name.padEnd(17)} ready in ${took.padEnd(20)} pid ${String(pid).padEnd(7)} ${formatPorts(c, ctx)}`);
    if (note) ctx.onProgress(`    ${note}`);
  };
  for (const c of toStart) running.set(c.name, launch(c));
  const results = await Promise.allSettled(running.values());
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));

  if (failures.length > 0) {
    ctx.onProgress(`stack: start failed; stopping the ${started.size} component(s) this call started`);
    await stopStarted(started, all, ctx);
    const first = failures.find((f) => !(f instanceof DependencyFailed)) ?? failures[0];
    throw new UsageError(`stack up failed: ${first?.message}`);
  }

  const targetFile = await writeTargetFile(ctx);
  ctx.onProgress(`stack: up in ${seconds(Date.now() - t0)}; target file: ${targetFile}`);
  for (const s of skipped) ctx.onProgress(`  ! ${s.name} NOT RUNNING: ${s.reason}`);
  return { targetFile, started: [...started.keys()], skipped };
}

/** Stops what this call spawned, dependents first (reverse of `all`), by the pids it got. */
async function stopStarted(started: Map<string, number>, all: readonly Component[], ctx: StackContext): Promise<void> {
  for (const c of [...all].reverse()) {
    const pid = started.get(c.name);
    if (pid === undefined) continue;
    if (await isAlive(pid)) await stopComponent(c, ctx, pid);
    await removePidFile(pidFileOf(ctx.layout, c.name));
  }
}
