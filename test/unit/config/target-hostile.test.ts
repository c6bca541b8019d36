// Hostile target files, property-based (issue 7 item 4): whatever the bytes, the loader either
// returns a valid target or throws the suite's UsageError with a one-line message — never a
// TypeError, a RangeError or a stack trace — and when one field is wrong the message names its path.
import fc from 'fast-check';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTarget, parseTarget } from '../../../lib/config/target.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';

/** A valid target with every optional section, as a plain object to mutate. */
const valid = () => ({
  name: 't',
  environment: 'staging',
  api: { baseUrl: 'http://127.0.0.1:18080' },
  signaling: { url: ['ws://127.0.0.1:18090/ws'] },
  livekit: { url: 'ws://127.0.0.1:17880', apiKeyEnv: 'K', apiSecretEnv: 'S' },
  prometheus: { url: 'http://127.0.0.1:19090', queries: { cpu_pct: 'up' } },
  influxdb: { url: 'http://127.0.0.1:18086', database: 'k6' },
  auth: { users: 10, passwordEnv: 'P' },
  turn: { urls: ['turn:127.0.0.1:13478?transport=udp'], secretEnv: 'T', credentialTtlSec: 300 },
  redis: { url: 'redis://127.0.0.1:16379', passwordEnv: 'R' },
  postgres: { url: 'postgresql://gomeet@127.0.0.1:15432/gomeet', passwordEnv: 'PG' },
  pgbouncer: { url: 'postgresql://stats@127.0.0.1:16432/pgbouncer' },
});

type Path = (string | number)[];
/** Every object and leaf path of the valid target. */
function pathsOf(v: unknown, at: Path = []): { objects: Path[]; leaves: Path[] } {
  if (v === null || typeof v !== 'object') return { objects: [], leaves: [at] };
  const acc = { objects: Array.isArray(v) ? [] : [at], leaves: [] as Path[] };
  for (const [k, child] of Object.entries(v)) {
    const sub = pathsOf(child, [...at, Array.isArray(v) ? Number(k) : k]);
    acc.objects.push(...sub.objects);
    acc.leaves.push(...sub.leaves);
  }
  return acc;
}
const { objects: OBJECT_PATHS, leaves: LEAF_PATHS } = pathsOf(valid());
const URL_PATHS = LEAF_PATHS.filter((p) => /url/i.test(String(p[p.length - 2])) || /url/i.test(String(p[p.length - 1])));
const NUMBER_PATHS: Path[] = [['auth', 'users'], ['turn', 'credentialTtlSec']];

function setAt(doc: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  let o = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
  return doc;
}

/** The loader's contract for bad input: UsageError, one line, no stack frames. Returns the message. */
function rejection(fn: () => unknown): string {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  if (!(thrown instanceof UsageError)) throw new Error(`expected UsageError, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`);
  const msg = thrown.message;
  if (/[\r\n\u2028\u2029]/.test(msg)) throw new Error(`message is more than one line: ${JSON.stringify(msg)}`);
  if (/\bat .*:\d+:\d+/.test(msg)) throw new Error(`stack frame in message: ${msg}`);
  return msg;
}

/** parseTarget never throws anything but a one-line UsageError (or returns a target). */
function survives(text: string): void {
  try {
    parseTarget(text, 'f.yaml');
  } catch {
    rejection(() => parseTarget(text, 'f.yaml'));
  }
}

const pathText = (p: Path) => p.join('.');
const RUNS = { numRuns: 300 };

describe('target loader under hostile input (fast-check)', () => {
  it('the valid target parses (else every property below is vacuous)', () => {
    expect(parseTarget(stringify(valid())).name).toBe('t');
  });

  it('random strings and random bytes: a one-line UsageError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => void rejection(() => parseTarget(s, 'f.yaml'))), RUNS);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void rejection(() => parseTarget(Buffer.from(b).toString('latin1'), 'f.yaml'))), RUNS);
  });

  it('YAML-looking garbage (random mixes of YAML syntax): a one-line UsageError', () => {
    const token = fc.constantFrom('{', '}', '[', ']', ':', '- ', '? ', '&a ', '*a ', '!!str ', '!foo ', '|', '>', '"', "'", '#', '%YAML 1.2\n', '---\n', '...\n', '\n', '  ', '\t', 'name', 'api', 'url', '<<: *a\n', 'x');
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (ts) => void rejection(() => parseTarget(ts.join(''), 'f.yaml'))), RUNS);
  });

  it('any JSON/YAML value as the whole document: a one-line UsageError', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 4 }), (v) => void rejection(() => parseTarget(stringify(v) ?? '', 'f.yaml'))), RUNS);
  });

  it('a wrong-typed value at any field: UsageError naming that field', () => {
    const wrong = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 3 }));
    const stringLeaves = LEAF_PATHS.filter((p) => typeof p[p.length - 1] !== 'number' || true).filter((p) => !NUMBER_PATHS.some((n) => pathText(n) === pathText(p)));
    fc.assert(
      fc.property(fc.constantFrom(...stringLeaves), wrong, (path, value) => {
        const msg = rejection(() => parseTarget(stringify(setAt(valid(), path, value)), 'f.yaml'));
        // An array element's error names the array (signaling.url is one URL or a list of them).
        expect(msg).toContain(`f.yaml: ${pathText(path.filter((k) => typeof k === 'string'))}`);
      }),
      RUNS,
    );
  });

  it('numbers: negative, zero, fractional, NaN, ±Infinity, huge, or a string: UsageError naming the field', () => {
    const bad = fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true, noNaN: true }).filter((d) => Number.isFinite(d)), fc.constantFrom(NaN, Infinity, -Infinity, 1e300, 2 ** 53, 10_000_001), fc.string());
    fc.assert(
      fc.property(fc.constantFrom(...NUMBER_PATHS), bad, (path, value) => {
        expect(rejection(() => parseTarget(stringify(setAt(valid(), path, value)), 'f.yaml'))).toContain(`f.yaml: ${pathText(path)}:`);
      }),
      RUNS,
    );
    // YAML's own spellings of the non-finite numbers
    for (const v of ['.nan', '.inf', '-.inf', '-1', '0', '1e400', '99999999999999999999']) {
      expect(rejection(() => parseTarget(stringify(valid()).replace('credentialTtlSec: 300', `credentialTtlSec: ${v}`), 'f.yaml'))).toContain('turn.credentialTtlSec');
      expect(rejection(() => parseTarget(stringify(valid()).replace('users: 10', `users: ${v}`), 'f.yaml'))).toContain('auth.users');
    }
  });

  it('an unknown key at any level: UsageError naming the level and the key', () => {
    const known = new Set(['name', 'environment', 'api', 'signaling', 'livekit', 'prometheus', 'influxdb', 'auth', 'turn', 'redis', 'postgres', 'pgbouncer', 'baseUrl', 'url', 'urls', 'apiKeyEnv', 'apiSecretEnv', 'queries', 'database', 'users', 'passwordEnv', 'secretEnv', 'credentialTtlSec', 'db_query_p95_ms', 'redis_memory_pct', 'cpu_pct', 'memory_pct']);
    // 'binary' strings: control characters, newlines and lone surrogates in key names too.
    const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((k) => !known.has(k) && k !== '__proto__');
    fc.assert(
      fc.property(fc.constantFrom(...OBJECT_PATHS), key, fc.jsonValue({ maxDepth: 2 }), (path, k, v) => {
        const doc = valid();
        const target = path.length === 0 ? doc : (path.reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], doc) as Record<string, unknown>);
        (target as Record<string, unknown>)[k] = v;
        const msg = rejection(() => parseTarget(stringify(doc), 'f.yaml'));
        expect(msg).toContain(`f.yaml: ${path.length ? pathText(path) : '(top level)'}: Unrecognized key`);
      }),
      RUNS,
    );
  });

  it('URLs with another scheme (file:, ftp:, javascript:, gopher:, data:, …) in any URL field: UsageError naming the field', () => {
    const scheme = fc.constantFrom('file:///etc/passwd', 'ftp://127.0.0.1/x', 'javascript:alert(1)', 'gopher://127.0.0.1:70/', 'data:text/plain,x', 'ldap://127.0.0.1/', 'jar:file:/x!/', 'ws+unix:///tmp/s', '//127.0.0.1/x', '127.0.0.1:80', 'http//x', '');
    expect(URL_PATHS.length).toBeGreaterThanOrEqual(9);
    fc.assert(
      fc.property(fc.constantFrom(...URL_PATHS), scheme, (path, url) => {
        expect(rejection(() => parseTarget(stringify(setAt(valid(), path, url)), 'f.yaml'))).toContain(`f.yaml: ${pathText(path.filter((k) => typeof k === 'string'))}`);
      }),
      RUNS,
    );
  });

  it('deep nesting, alias bombs and duplicate keys: a one-line UsageError, quickly', () => {
    // 120,000 levels is about as deep as fits in the 256 KB a target file may have.
    for (const depth of [100, 10_000, 120_000]) {
      survives('['.repeat(depth) + ']'.repeat(depth));
      survives('a: '.repeat(1) + '{a: '.repeat(depth) + '1' + '}'.repeat(depth));
      survives(`${stringify(valid())}extra: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
      survives(Array.from({ length: Math.min(depth, 5000) }, (_, i) => `${' '.repeat(i)}k:`).join('\n'));
    }
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    const t0 = Date.now();
    expect(rejection(() => parseTarget(bomb, 'f.yaml'))).toMatch(/f\.yaml: /);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(rejection(() => parseTarget(`${stringify(valid())}name: again\n`, 'f.yaml'))).toMatch(/not valid YAML/);
    // more than a target file may hold is refused unread
    expect(rejection(() => parseTarget('['.repeat(300_000), 'f.yaml'))).toMatch(/more than 262144/);
  }, 60_000);

  it('YAML tags it does not know (!foo, !!js/function) are refused, not warned about on stderr', () => {
    const warnings: unknown[] = [];
    const onWarning = (w: unknown) => warnings.push(w);
    const origWarn = console.warn;
    console.warn = (...a: unknown[]) => warnings.push(a);
    process.on('warning', onWarning);
    try {
      for (const tag of ['!foo', '!!js/function', '!<tag:evil>', '!!binary']) {
        rejection(() => parseTarget(stringify(valid()).replace("name: t", `name: ${tag} t`), 'f.yaml'));
      }
    } finally {
      console.warn = origWarn;
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('loadTarget: files that are not target files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'target-hostile-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function loadRejection(file: string): Promise<string> {
    const err = await loadTarget(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof UsageError)) throw new Error(`expected UsageError, got ${String(err)}`);
    expect(err.message).not.toMatch(/[\r\n]/);
    return err.message;
  }

  it('a 5 MB file is refused by its size, before it is read as YAML', async () => {
    const f = join(dir, 'huge.yaml');
    await writeFile(f, `${stringify(valid())}# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    expect(await loadRejection(f)).toMatch(/target file is \d+ bytes, more than 262144/);
  });

  it('a directory, a device and a missing file: UsageError, never EISDIR or a read that never ends', async () => {
    await mkdir(join(dir, 'sub'));
    expect(await loadRejection(join(dir, 'sub'))).toMatch(/not a regular file/);
    expect(await loadRejection('/dev/zero')).toMatch(/not a regular file/);
    expect(await loadRejection(join(dir, 'nope.yaml'))).toMatch(/target file not found/);
  });

  it('a file name with a newline in it still gives a one-line message', async () => {
    expect(await loadRejection(join(dir, 'two\nlines.yaml'))).toMatch(/target file not found/);
  });

  it('invalid UTF-8 and a NUL byte: UsageError', async () => {
    const f = join(dir, 'bin.yaml');
    await writeFile(f, Buffer.concat([Buffer.from(stringify(valid())), Buffer.from([0xff, 0xfe, 0x00, 0x0a])]));
    await loadRejection(f);
  });
});
