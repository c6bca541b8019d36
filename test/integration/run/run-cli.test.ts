// `gomeet-capacity run` end to end through the real CLI, as an SRE types it: the smoke profile against
// a local stack the run brings up itself (its own state dir and shifted ports, so it runs beside a
// developer's stack), then the same stack with an API that answers 600 ms late, then bad input.
//   healthy stack   → exit 0, every seed row in verdict.json, the gated client rows pass
//   API + 600 ms    → exit 1, NO_GO, api_p95_ms failed
//   bad input       → exit 2, one line, and not one request reaches the target
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THRESHOLD_TABLE } from '../../../thresholds/table.ts';
import { runCli, type CliResult } from '../../helpers/cli.ts';

const OFFSET = Number(process.env.GOMEET_TEST_RUN_PORT_OFFSET ?? 3100);

let work: string;
let env: NodeJS.ProcessEnv;

const cli = (args: string[], timeoutMs = 280_000): Promise<CliResult> => runCli(args, env, timeoutMs);

async function verdictOf(dir: string) {
  return JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8')) as {
    verdict: string;
    reasons: string[];
    rows: { id: string; status: string; observed: number | null }[];
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-run-cli-'));
  // The postgres OS user must be able to enter the stack's dirs (mkdtemp makes 0700).
  await chmod(work, 0o755);
  env = { ...process.env, GOMEET_STACK_DIR: join(work, 'stack'), GOMEET_STACK_PORT_OFFSET: String(OFFSET), NO_COLOR: '1' };
});

afterAll(async () => {
  await cli(['stack', 'down'], 60_000);
  await rm(work, { recursive: true, force: true });
});

describe('run --profile smoke on the local stack', () => {
  it('brings the stack up itself and ends GO-or-WARN with exit 0, every seed row in verdict.json', async () => {
    const out = join(work, 'healthy');
    const res = await cli(['run', '--profile', 'smoke', '--out', out]);
    const v = await verdictOf(out);
    const bot = ['sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms'];
    // The one tolerated departure from GO/WARN: on 2 cores the werift bots share the machine with
    // two Chromiums, the stack and k6, and when their event loop stalls the suite says so and judges
    // no bot row (INCONCLUSIVE, exit 3) — never a verdict made by the generator. Every other row
    // must still be measured and pass.
    const generatorOnly =
      v.verdict === 'INCONCLUSIVE' &&
      v.reasons.some((r) => r.startsWith('load generator saturated: bot workers')) &&
      v.rows.filter((r) => r.status === 'not_measured').every((r) => bot.includes(r.id));
    if (generatorOnly) console.info(`smoke ended INCONCLUSIVE on a saturated media generator: ${v.reasons.join(' | ')}`);
    expect(res.code, res.stdout + res.stderr).toBe(generatorOnly ? 3 : 0);
    expect(res.stdout).toMatch(generatorOnly ? /verdict: INCONCLUSIVE/ : /verdict: (GO|WARN)/);
    const seedIds = THRESHOLD_TABLE.filter((r) => r.origin === 'seed').map((r) => r.id);
    expect(v.rows.map((r) => r.id)).toEqual(expect.arrayContaining(seedIds));
    const mustPass = ['ws_connections', 'api_p95_ms', 'ws_connect_success_pct', 'api_error_rate_pct', 'db_query_p95_ms', 'redis_memory_pct', 'cpu_pct', 'memory_pct'];
    for (const id of mustPass) {
      const row = v.rows.find((r) => r.id === id)!;
      expect(row.status, id).toBe('pass');
      expect(row.observed, id).not.toBeNull();
    }
    // The probes measured video latency through a real LiveKit room.
    expect(v.rows.find((r) => r.id === 'video_latency_ms')!.observed, 'video_latency_ms').not.toBeNull();
    for (const id of bot) if (!generatorOnly) expect(v.rows.find((r) => r.id === id)!.observed, id).not.toBeNull();
    for (const file of ['report.md', 'junit.xml', 'report.html']) {
      expect((await readFile(join(out, file), 'utf8')).length).toBeGreaterThan(100);
    }
  });

  it('ends NO_GO with exit 1 and api_p95_ms failed when the API answers 600 ms late', async () => {
    const up = await cli(['stack', 'up', '--api-delay-ms', '600'], 240_000);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const out = join(work, 'slow');
    const res = await cli(['run', '--profile', 'smoke', '--out', out]);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    const v = await verdictOf(out);
    expect(v.verdict).toBe('NO_GO');
    const api = v.rows.find((r) => r.id === 'api_p95_ms')!;
    expect(api.status).toBe('fail');
    expect(api.observed).toBeGreaterThan(500);
  });
});

describe('bad input: one line, exit 2, no load', () => {
  let server: Server;
  let requests = 0;
  let targetBase: string;

  beforeAll(async () => {
    // A listener that counts every request: proof that a rejected run sent nothing.
    server = createServer((req, res) => {
      requests++;
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no port');
    targetBase = `127.0.0.1:${addr.port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function targetFile(name: string, text: string): Promise<string> {
    const file = join(work, name);
    await writeFile(file, text);
    return file;
  }

  const valid = () => `name: counting
environment: staging
api: { baseUrl: http://${targetBase} }
signaling: { url: ws://${targetBase}/ws }
livekit: { url: ws://${targetBase} }
prometheus: { url: http://${targetBase} }
`;

  const cases: [string, () => Promise<string[]>, RegExp][] = [
    ['unknown profile', async () => ['run', '--profile', 'gigantic', '--target', await targetFile('ok.yaml', valid())], /unknown profile 'gigantic'/],
    ['garbage YAML', async () => ['run', '--target', await targetFile('garbage.yaml', '{{{ not: yaml')], /not valid YAML/],
    ['empty file', async () => ['run', '--target', await targetFile('empty.yaml', '')], /empty target file/],
    ['missing field', async () => ['run', '--target', await targetFile('nofield.yaml', valid().replace(/^api:.*\n/m, ''))], /api: /],
    ['wrong scheme', async () => ['run', '--target', await targetFile('ftp.yaml', valid().replace('http://', 'ftp://'))], /api\.baseUrl: must be a URL with scheme http or https/],
    ['unknown key', async () => ['run', '--target', await targetFile('extra.yaml', valid() + 'surprise: 1\n')], /surprise/],
    ['missing file', async () => ['run', '--target', join(work, 'nope.yaml')], /target file not found/],
    ['bad gate', async () => ['run', '--gate', 'lenient', '--target', await targetFile('ok2.yaml', valid())], /--gate must be/],
  ];

  for (const [name, args, message] of cases) {
    it(`${name}`, async () => {
      const before = requests;
      const res = await cli(await args(), 60_000);
      expect(res.code, res.stdout + res.stderr).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(requests - before).toBe(0);
    });
  }

  it('an unreachable target fails pre-flight with exit 2 before any load', async () => {
    const file = await targetFile(
      'unreachable.yaml',
      valid().replaceAll(targetBase, '127.0.0.1:9'), // discard port: nothing listens
    );
    const res = await cli(['run', '--target', file], 60_000);
    expect(res.code, res.stdout + res.stderr).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/pre-flight failed \(api health.*no load sent/);
    expect(res.stdout).not.toMatch(/\bk6\b.*exited/);
  });
});
