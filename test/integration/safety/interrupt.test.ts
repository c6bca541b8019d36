// Ctrl-C and SIGTERM (issue 7 item 3): `run --profile smoke` brings up its own stack and gets a
// signal — sent to the CLI's process alone, as `kill` or a CI system sends it, not to a terminal's
// whole process group — once during the k6 load (SIGINT) and once during the SFU room that follows
// it (SIGTERM: werift bots and Chromium probes running). Then:
//   the CLI exits within 30 s · verdict.json is written and INCONCLUSIVE, marked aborted and
//   interrupted · not one process the run started is left (k6, bots, browsers, the stack's servers,
//   the service bundles) · the stack `run` started is down (its ports refuse).
import { connect } from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPorts } from '../../../stack/ports.ts';
import { cli, ownStack, startCli, type OwnStack } from './own-stack.ts';
import { ours, stillAlive, type Proc } from './processes.ts';

const OFFSET = 6700;
/** Seconds after the phase's line before the signal: long enough for its processes to be running. */
const SETTLE_SEC = 20;

interface Phase {
  signal: 'SIGINT' | 'SIGTERM';
  name: string;
  /** The progress line that says the phase has started. */
  started: RegExp;
  /** Kinds of process that must have been seen (else the leftover check proves nothing about them). */
  mustSee: (keyof Census)[];
}
interface Census {
  k6: number;
  bots: number;
  chromium: number;
  postgres: number;
  livekit: number;
}
const PHASES: Phase[] = [
  { signal: 'SIGINT', name: 'the k6 load', started: /\] load /, mustSee: ['k6', 'postgres', 'livekit'] },
  { signal: 'SIGTERM', name: 'the SFU room', started: /\] media +bots t=\d+s joined/, mustSee: ['k6', 'bots', 'chromium', 'postgres', 'livekit'] },
];
let s: OwnStack;
const leftovers: Proc[] = [];

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(true));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  s = await ownStack('gomeet-interrupt-', OFFSET);
});

afterAll(async () => {
  await cli(['stack', 'down'], s.env, 120_000);
  // Whatever a failed assertion left behind is ours: end it by pid so the machine stays clean.
  for (const p of stillAlive(leftovers)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await rm(s.work, { recursive: true, force: true });
}, 150_000);

describe.each(PHASES)('$signal during $name', ({ signal, started, mustSee }) => {
  it(`stops everything within 30 s, writes an INCONCLUSIVE verdict, leaves no process, stops the stack`, async () => {
    const outDir = join(s.work, `out-${signal}`);
    const run = startCli(['run', '--profile', 'smoke', '--out', outDir], s.env, 270_000);
    const pid = run.child.pid!;
    const seen = new Map<string, Proc>();
    const markers = [s.stackDir, outDir];
    const look = () => {
      for (const p of ours(pid, markers)) seen.set(`${p.pid}/${p.start}`, p);
    };
    // Up to the phase's line (the stack comes up first), then SETTLE_SEC more, looking every second.
    const t0 = Date.now();
    while (!started.test(run.out.stdout)) {
      if (run.child.exitCode !== null) throw new Error(`run ended before the phase:\n${run.out.stdout.slice(-3000)}\n${run.out.stderr}`);
      if (Date.now() - t0 > 220_000) throw new Error(`phase not started within 220 s:\n${run.out.stdout.slice(-3000)}`);
      look();
      await sleep(1000);
    }
    const runId = /\(run (\S+),/.exec(run.out.stdout)?.[1];
    expect(runId).toBeDefined();
    markers.push(runId!);
    for (let i = 0; i < SETTLE_SEC; i++) {
      look();
      await sleep(1000);
    }
    look();
    const kinds = (re: RegExp) => [...seen.values()].filter((p) => re.test(p.cmd)).length;
    const census: Census = { k6: kinds(/\/k6 run/), bots: kinds(/media\/runner\/(cli|worker)/), chromium: kinds(/chrom/i), postgres: kinds(/postgres/), livekit: kinds(/livekit-server/) };
    console.log(`${signal}: processes seen before the signal (${seen.size} in all)`, census);
    for (const kind of mustSee) expect(census[kind], kind).toBeGreaterThan(0);

    const sentAt = Date.now();
    process.kill(pid, signal);
    const res = await Promise.race([run.done, sleep(30_000).then(() => undefined)]);
    const exitSec = (Date.now() - sentAt) / 1000;
    console.log(`${signal}: CLI exited ${res ? `with ${res.code ?? res.signal}` : 'NOT'} ${exitSec.toFixed(1)} s after the signal`);
    expect(res, `CLI still running 30 s after ${signal}:\n${run.out.stdout.slice(-3000)}`).toBeDefined();
    expect(res!.code, res!.stdout.slice(-3000) + res!.stderr).toBe(3);

    const verdict = JSON.parse(await readFile(join(outDir, 'verdict.json'), 'utf8')) as { verdict: string; aborted: boolean; reasons: string[]; runId: string };
    expect(verdict.verdict).toBe('INCONCLUSIVE');
    expect(verdict.aborted).toBe(true);
    expect(verdict.reasons.join(' ')).toMatch(/interrupted by the operator/);
    expect(verdict.runId).toBe(runId);

    // Exited processes may take a moment to be reaped by init; then nothing of the run may remain.
    await sleep(2000);
    look(); // anything started late and still there
    const left = stillAlive(seen.values()).filter((p) => p.pid !== pid);
    leftovers.push(...left);
    expect(left.map((p) => `${p.pid} ${p.cmd.slice(0, 160)}`)).toEqual([]);

    const ports = stackPorts(OFFSET);
    for (const port of [ports.api, ports.postgres, ports.redis, ports.livekitHttp, ports.influxdb, ports.prometheus]) {
      expect(await refused(port), `port ${port} still answers: the stack run started is not down`).toBe(true);
    }
  }, 330_000);
});
