import { describe, expect, it } from 'vitest';
import { K6_PIN, LIVEKIT_SERVER_PIN } from '../../../scripts/tools/pins.ts';
import { isPinnedVersion, parseToolVersion } from '../../../scripts/tools/version.ts';

// Outputs recorded from the pinned builds in .local/tools (and variants a PATH binary could print).
// The suite's k6 (xk6/, k6 v2.2.0 with k6/x/gomeet), a stock k6 and one with someone else's extension.
const K6_OUTPUT = 'k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n  gomeet-capacity/xk6/signaling , k6/x/gomeet [js]\n\n';
const K6_STOCK = 'k6 v2.2.0 (go1.26.8, linux/amd64)\n';
const K6_WITH_EXTENSIONS = 'k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n  github.com/grafana/xk6-dashboard v0.7.5, k6/x/dashboard [output]\n';
const LIVEKIT_OUTPUT = 'livekit-server version 1.13.5\n';

describe('parseToolVersion', () => {
  it('reads k6 v2 output', () => {
    expect(parseToolVersion(K6_PIN, K6_OUTPUT)).toBe('v2.2.0');
    expect(parseToolVersion(K6_PIN, K6_STOCK)).toBe('v2.2.0');
    expect(parseToolVersion(K6_PIN, K6_WITH_EXTENSIONS)).toBe('v2.2.0');
  });

  it('reads livekit-server output and adds the v Go uses', () => {
    expect(parseToolVersion(LIVEKIT_SERVER_PIN, LIVEKIT_OUTPUT)).toBe('v1.13.5');
  });

  it('keeps pre-release suffixes so they never count as the pin', () => {
    expect(parseToolVersion(K6_PIN, 'k6 v2.2.0-rc1 (go1.26.8, linux/amd64)')).toBe('v2.2.0-rc1');
  });

  it('returns null for output that names no version', () => {
    expect(parseToolVersion(K6_PIN, '')).toBeNull();
    expect(parseToolVersion(K6_PIN, 'bash: k6: command not found')).toBeNull();
    expect(parseToolVersion(LIVEKIT_SERVER_PIN, K6_OUTPUT)).toBeNull();
    // A version mentioned mid-line (e.g. in an error) is not the tool's own version line.
    expect(parseToolVersion(K6_PIN, 'error: wanted k6 v2.2.0')).toBeNull();
  });
});

describe('isPinnedVersion', () => {
  it('accepts exactly the pinned versions', () => {
    expect(isPinnedVersion(K6_PIN, K6_OUTPUT)).toBe(true);
    expect(isPinnedVersion(LIVEKIT_SERVER_PIN, LIVEKIT_OUTPUT)).toBe(true);
  });

  it('rejects a k6 of the pinned version without the suite\'s extension', () => {
    expect(isPinnedVersion(K6_PIN, K6_STOCK)).toBe(false);
    expect(isPinnedVersion(K6_PIN, K6_WITH_EXTENSIONS)).toBe(false);
  });

  it('rejects neighbours of the pin', () => {
    for (const v of ['v2.2.1', 'v2.3.0', 'v1.6.0', 'v2.2.0-rc1', 'v2.2.00']) {
      expect(isPinnedVersion(K6_PIN, K6_OUTPUT.replace('v2.2.0', v))).toBe(false);
    }
    // k6 v0.x/v1 printed the same shape; an old k6 on PATH must not pass.
    expect(isPinnedVersion(K6_PIN, 'k6 v0.49.0 (go1.21.6, linux/amd64)')).toBe(false);
    expect(isPinnedVersion(LIVEKIT_SERVER_PIN, 'livekit-server version 1.13.4')).toBe(false);
    expect(isPinnedVersion(LIVEKIT_SERVER_PIN, 'livekit-server version 1.13.50')).toBe(false);
  });
});
