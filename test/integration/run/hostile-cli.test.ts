// Hostile input through the real CLI (issue 7 item 4): absurd flag values and hostile target files
// end with exit 2, exactly one line on stderr, and not one request to the target — a listener on
// 127.0.0.1 that counts every request it gets.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCountingListener, type CountingListener } from '../../helpers/cli.ts';

let work: string;
let listener: CountingListener;
let base: string;

function cli(args: string[]) {
  return runCli(args, { ...process.env, GOMEET_STACK_DIR: join(work, 'stack'), GOMEET_STACK_PORT_OFFSET: '6850', NO_COLOR: '1' }, 90_000);
}

const yaml = () => `name: counting
environment: staging
api: { baseUrl: http://${base} }
signaling: { url: ws://${base}/ws }
livekit: { url: ws://${base} }
prometheus: { url: http://${base} }
`;

async function file(name: string, text: string): Promise<string> {
  const f = join(work, name);
  await writeFile(f, text);
  return f;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomeet-hostile-cli-'));
  listener = await startCountingListener();
  base = listener.base;
});

afterAll(async () => {
  await listener.close();
  await rm(work, { recursive: true, force: true });
});

describe('hostile input: exit 2, one line, no request', () => {
  const ok = () => file('ok.yaml', yaml());
  const cases: [string, () => Promise<string[]>, RegExp][] = [
    ['--runners -1', async () => ['run', '--runners', '-1', '--target', await ok()], /--runners must be/],
    ['--runners NaN', async () => ['run', '--runners', 'NaN', '--target', await ok()], /--runners must be/],
    ['--runners 99999999999999999999', async () => ['run', '--runners', '99999999999999999999', '--target', await ok()], /--runners must be/],
    ['--profile with a newline in it', async () => ['run', '--profile', 'smo\nke', '--target', await ok()], /unknown profile 'smo\\nke'/],
    ['--gate ""', async () => ['run', '--gate', '', '--target', await ok()], /--gate must be/],
    ['--baseline -1 (no such run)', async () => ['run', '--baseline', '-1', '--target', await ok()], /verdict\.json/],
    ['search --start 99999999999999999999', async () => ['search', '--dimension', 'connections', '--start', '99999999999999999999', '--target', await ok()], /--start must be a whole number from 1 to 1000000/],
    ['search --steady-sec 0', async () => ['search', '--dimension', 'connections', '--steady-sec', '0', '--target', await ok()], /--steady-sec must be/],
    ['search --budget-min NaN', async () => ['search', '--dimension', 'connections', '--budget-min', 'NaN', '--target', await ok()], /--budget-min must be/],
    ['a 5 MB target file', async () => ['run', '--target', await file('huge.yaml', `${yaml()}# ${'x'.repeat(5 * 1024 * 1024)}\n`)], /more than 262144/],
    ['a directory as target file', async () => ['run', '--target', (await mkdir(join(work, 'dir'), { recursive: true }), join(work, 'dir'))], /not a regular file/],
    ['/dev/zero as target file', async () => ['run', '--target', '/dev/zero'], /not a regular file/],
    ['an unknown YAML tag', async () => ['run', '--target', await file('tag.yaml', yaml().replace('name: counting', 'name: !foo counting'))], /not valid YAML \(Unresolved tag: !foo/],
    ['a javascript: URL', async () => ['run', '--target', await file('js.yaml', yaml().replace(`http://${base} }\nsignaling`, 'javascript:alert(1) }\nsignaling'))], /api\.baseUrl: must be a URL with scheme http or https/],
    ['a redis URL that is no URL', async () => ['run', '--target', await file('redis.yaml', `${yaml()}redis: { url: '//x' }\n`)], /redis\.url: must be a URL/],
    ['deep nesting', async () => ['run', '--target', await file('deep.yaml', `${yaml()}x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)], /not valid YAML/],
    ['auth.users: .nan', async () => ['run', '--target', await file('nan.yaml', `${yaml()}auth: { users: .nan }\n`)], /auth\.users: /],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const before = listener.requests();
      const res = await cli(await args());
      expect(res.code, res.stdout + res.stderr).toBe(2);
      const lines = res.stderr.replace(/\n$/, '').split('\n');
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(listener.requests() - before).toBe(0);
    });
  }
});
