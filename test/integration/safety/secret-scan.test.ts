// Secrets never leave the places they belong (issue 7 item 5): one real `run --profile smoke` on a
// local stack of its own, then every byte it produced — every file under --out (k6 logs, media/,
// report.html, junit.xml, series.json, …), the CLI's stdout and stderr, the stack's log dir — and
// every k6 tag value stored in the stack's InfluxDB is searched for each secret of the stack's
// secrets.env, and for anything shaped like a JWT (the run mints access tokens and LiveKit tokens).
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPorts } from '../../../stack/ports.ts';
import { cli, ownStack, type OwnStack } from './own-stack.ts';

const OFFSET = 6600;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

let s: OwnStack;
let outDir: string;
let run: Awaited<ReturnType<typeof cli>>;
let secrets: Record<string, string>;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every place in `text` (named `where`) a secret value or a JWT shows up; the secret's name, never its value. */
function leaks(where: string, text: string): string[] {
  const found = Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => `${where}: ${name}`);
  const jwt = JWT.exec(text);
  if (jwt) found.push(`${where}: a JWT (${jwt[0].slice(0, 12)}…)`);
  return found;
}

beforeAll(async () => {
  s = await ownStack('gomeet-secret-scan-', OFFSET);
  outDir = join(s.work, 'out');
  // --keep-stack: the stack's InfluxDB is read afterwards; afterAll stops it.
  // smoke runs its room after the k6 load: ~3.5 min on a busy 2-core machine, hence the margin.
  run = await cli(['run', '--profile', 'smoke', '--out', outDir, '--keep-stack'], s.env, 420_000);
  secrets = parseEnv(await readFile(join(s.stackDir, 'secrets.env'), 'utf8')) as Record<string, string>;
}, 450_000);

afterAll(async () => {
  await cli(['stack', 'down'], s.env, 120_000);
  await rm(s.work, { recursive: true, force: true });
}, 150_000);

describe('a smoke run leaks no secret', () => {
  it('ran to a verdict, and the secrets it scans for are the six of secrets.env', async () => {
    // 0 GO/WARN, 1 NO_GO, 3 INCONCLUSIVE: all wrote every report; 2 (nothing ran) would prove nothing.
    expect([0, 1, 3], run.stdout.slice(-3000) + run.stderr).toContain(run.code);
    expect(Object.keys(secrets).sort()).toEqual(
      ['GOMEET_JWT_SECRET', 'GOMEET_LIVEKIT_API_KEY', 'GOMEET_LIVEKIT_API_SECRET', 'GOMEET_LOADTEST_PASSWORD', 'GOMEET_PG_PASSWORD', 'GOMEET_TURN_SECRET'],
    );
    for (const v of Object.values(secrets)) expect(v.length).toBeGreaterThanOrEqual(16);
    // the scanner itself finds them (else a clean scan would prove nothing)
    const envText = await readFile(join(s.stackDir, 'secrets.env'), 'utf8');
    expect(leaks('secrets.env', `${envText} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`)).toHaveLength(7);
  });

  it('no secret and no JWT in any file under --out, in stdout/stderr, or in the stack logs', async () => {
    const outFiles = await filesUnder(outDir);
    // The scan is only worth something if the run's outputs are there.
    const names = outFiles.map((f) => f.slice(outDir.length + 1));
    expect(names).toEqual(expect.arrayContaining(['verdict.json', 'report.md', 'junit.xml', 'report.html', 'k6.log', 'media/media.json']));
    // the room's own outputs (bots, probes) are scanned too: smoke runs one LiveKit room
    expect(names.filter((n) => n.startsWith('media/')).length).toBeGreaterThan(1);
    const logFiles = await filesUnder(join(s.stackDir, 'logs'));
    expect(logFiles.length).toBeGreaterThan(3);
    const found: string[] = [...leaks('stdout', run.stdout), ...leaks('stderr', run.stderr)];
    for (const f of [...outFiles, ...logFiles]) found.push(...leaks(f, (await readFile(f)).toString('latin1')));
    console.log(`run exit ${run.code}; scanned ${outFiles.length} output files (${names.join(' ')}), ${logFiles.length} stack logs, stdout ${run.stdout.length} B, stderr ${run.stderr.length} B`);
    expect(found).toEqual([]);
  });

  it('no secret and no JWT in any k6 tag value stored in InfluxDB', async () => {
    const url = `http://127.0.0.1:${stackPorts(OFFSET).influxdb}/query`;
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ db: 'k6', q: 'SHOW TAG VALUES WITH KEY =~ /.*/' }) });
    const body = (await res.json()) as { results: { series?: { name: string; values: [string, string][] }[]; error?: string }[] };
    expect(body.results[0]?.error).toBeUndefined();
    const pairs = (body.results[0]?.series ?? []).flatMap((ser) => ser.values.map(([k, v]) => `${ser.name}.${k}=${v}`));
    // the run's own samples are there (else the scan proves nothing): its run_id tag
    const runId = (JSON.parse(await readFile(join(outDir, 'verdict.json'), 'utf8')) as { runId: string }).runId;
    expect(pairs.some((p) => p.endsWith(`.run_id=${runId}`))).toBe(true);
    console.log(`scanned ${pairs.length} tag values`);
    expect(pairs.flatMap((p) => leaks(`influx tag ${p.split('=')[0]}`, p))).toEqual([]);
  });
});
