/**
 * The Chromium the probes run in, and how k6 browser launches it (K6_BROWSER_* variables; k6 v2.2
 * reads them in internal/js/modules/k6/browser/common/browser_options.go and splits K6_BROWSER_ARGS
 * on commas — so no flag here may contain a comma).
 *
 * Debian's binary is used directly, not the /usr/bin/chromium wrapper, which adds its own flags
 * (remote extensions, extension loading) from /etc/chromium.d. k6 gives every browser a fresh
 * temporary user-data-dir and removes it afterwards.
 */

/** Debian's Chromium (package chromium), the real binary behind /usr/bin/chromium. */
export const CHROMIUM_BINARY = '/usr/lib/chromium/chromium';

/**
 * Flags on top of k6 browser's defaults (which already include headless, no-first-run,
 * disable-background-networking, a fresh profile, no background throttling).
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  // Root in a container-less namespace: the setuid/user-namespace sandbox cannot start.
  'no-sandbox',
  'disable-background-networking',
  'disable-component-update',
  'disable-sync',
  'no-first-run',
  // Grant camera/microphone permission without a prompt (a synthetic device, should anything open
  // one): the permission is what makes Chromium offer host candidates at all (see below); no
  // camera is opened, the probe publishes a canvas.
  'use-fake-ui-for-media-stream',
  'use-fake-device-for-media-stream',
  'autoplay-policy=no-user-gesture-required',
  // libwebrtc leaves loopback interfaces out of the network list it gathers candidates on. In a
  // namespace with only `lo` that list is empty and nothing is gathered — no candidate, no media.
  // This switch (content/public/common/content_switches.cc, "Allows loopback interface to be added
  // in network list for peer connection"; Chromium's own WebRTC browser tests use it) puts
  // 127.0.0.1 on the list; Chromium then offers it as a host candidate to pages holding media
  // permission (without the permission it only offers the default route's address — none here).
  // Inside the namespace there is nothing else to offer, so media can only use 127.0.0.1.
  // Checked case by case in test/integration/probe/loopback-candidates.test.ts.
  'allow-loopback-in-peer-connection',
];

/** Environment for k6 so that `browser` launches this Chromium with these flags. */
export function k6BrowserEnv(flags: readonly string[] = CHROMIUM_FLAGS): Record<string, string> {
  for (const f of flags) if (f.includes(',')) throw new Error(`Chromium flag ${f} has a comma: K6_BROWSER_ARGS cannot carry it`);
  return {
    K6_BROWSER_EXECUTABLE_PATH: CHROMIUM_BINARY,
    K6_BROWSER_ARGS: flags.join(','),
    K6_BROWSER_HEADLESS: 'true',
    // Launch + CDP calls; page.evaluate(start) waits for the room connection within this.
    K6_BROWSER_TIMEOUT: '90s',
  };
}
