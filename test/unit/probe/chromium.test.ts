import { describe, expect, it } from 'vitest';
import { CHROMIUM_BINARY, CHROMIUM_FLAGS, k6BrowserEnv } from '../../../media/probe/chromium.ts';
import { parseProcStat } from '../../../media/probe/browser-resources.ts';

describe('k6BrowserEnv', () => {
  it('hands k6 Debian’s Chromium and the flags, comma-separated as k6 v2.2 splits them', () => {
    const env = k6BrowserEnv();
    expect(env.K6_BROWSER_EXECUTABLE_PATH).toBe(CHROMIUM_BINARY);
    expect(env.K6_BROWSER_ARGS?.split(',')).toEqual([...CHROMIUM_FLAGS]);
    expect(env.K6_BROWSER_HEADLESS).toBe('true');
  });

  it('carries what loopback-only media needs', () => {
    expect(CHROMIUM_FLAGS).toEqual(expect.arrayContaining(['allow-loopback-in-peer-connection', 'use-fake-ui-for-media-stream', 'use-fake-device-for-media-stream', 'no-sandbox']));
  });

  it('refuses a flag with a comma (k6 would split it in two)', () => {
    expect(() => k6BrowserEnv(['disable-features=A,B'])).toThrow(/comma/);
  });
});

describe('parseProcStat', () => {
  it('reads a stat line whose command name has spaces and parentheses', () => {
    // Fields as Linux writes them; utime 1500 and stime 250 ticks, starttime 98765, rss 2560 pages.
    const line = '4242 (chromium (gpu) x) S 4200 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 12 0 98765 1234567 2560 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: 'chromium (gpu) x', ppid: 4200, cpuTicks: 1750, startTicks: 98765, rssKb: 10240 });
  });
  it('is undefined for garbage', () => {
    expect(parseProcStat('')).toBeUndefined();
  });
});
