import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../infra-smoke/check.ts';
import { formatSummary, formatTable, wrap } from '../../../infra-smoke/table.ts';

const results: CheckResult[] = [
  { name: 'api health', status: 'pass', observed: '200 from http://127.0.0.1:18080/health', expected: '200', required: true },
  { name: 'turn allocate', status: 'fail', observed: 'turn:127.0.0.1:13478?transport=udp: 401 Unauthorized', expected: 'a relay', fix: 'set GOMEET_TURN_SECRET to the server secret', required: true },
  { name: 'redis maxclients', status: 'warn', observed: 'maxclients 19,968', expected: '≥ 50,000 (seed)', fix: 'raise the fd limit', required: true },
  { name: 'pgbouncer pool', status: 'skip', observed: 'no pgbouncer in the target', expected: 'x', fix: 'add pgbouncer', required: false },
];

describe('formatTable', () => {
  it('one row per check, the fix under failures and warnings only, optional checks starred', () => {
    const text = formatTable(results);
    expect(text).toMatch(/^ok\s+api health\s+200 from/m);
    expect(text).toMatch(/^FAIL\s+turn allocate\s+turn:127/m);
    expect(text).toMatch(/→ set GOMEET_TURN_SECRET/);
    expect(text).toMatch(/→ raise the fd limit/);
    expect(text).not.toMatch(/→ add pgbouncer/);
    expect(text).toMatch(/^skip\s+pgbouncer pool\*/m);
  });
  it('summary names what blocks', () => {
    expect(formatSummary(results)).toBe('1 ok, 1 warn, 1 failed, 1 skipped (* = does not block load)\nblocking: turn allocate');
  });
});

describe('wrap', () => {
  it('keeps words whole within the width', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
    expect(wrap('', 5)).toEqual(['']);
  });
});
