/**
 * The Go-built tools the suite runs, pinned in one place. A version here is the only one the suite
 * accepts: a `k6` on PATH with another version is ignored and the pinned one is used or built.
 */

export interface GoToolPin {
  /** Name used in messages and as the binary's file name under .local/tools/. */
  name: string;
  /** Go module that is fetched (`go get <module>@<version>`). */
  module: string;
  /** Module version, with the leading `v` Go uses. */
  version: string;
  /** Package inside the module that `go build` turns into the binary. */
  buildPackage: string;
  /** Arguments that make the binary print its version. */
  versionArgs: string[];
  /** Finds the version in that output; group 1 is the version with or without its `v`. */
  versionPattern: RegExp;
  /** Rough build time on 2 cores, seconds — shown so a long build does not look hung. */
  typicalBuildSec: number;
  /**
   * Built from a Go module in this repository instead of a throwaway one: `go build -o <dest>
   * <package>` in `dir` (relative to the project root), whose go.mod pins `module@version`. Such a
   * binary is used only from .local/tools with a stamp naming the source it was built from — a
   * binary on PATH cannot say which source it carries.
   */
  source?: { dir: string; package: string };
  /** Lines the version output must also contain (the k6 extensions the scenarios import). */
  requiredInVersion?: RegExp[];
}

/**
 * The suite's k6: k6 v2.2.0 with the suite's extension k6/x/gomeet linked in (xk6/: its go.mod pins
 * go.k6.io/k6/v2 at this version, cmd/k6 is the main package xk6 would generate). The websocket
 * scenario holds its sessions in that extension (lib/k6/signaling-sessions-xk6.ts); a stock k6,
 * on PATH or elsewhere, lacks it and is not used.
 */
export const K6_PIN: GoToolPin = {
  name: 'k6',
  module: 'go.k6.io/k6/v2',
  // v2.2.0 is the newest v2 that builds here: v2.3.0's .info is on the module proxy but its .zip
  // answers 403, so `go get` of it fails. Move the pin when the proxy serves a newer zip.
  version: 'v2.2.0',
  buildPackage: 'go.k6.io/k6/v2',
  versionArgs: ['version'],
  // `k6 v2.2.0 (go1.26.8, linux/amd64)`, possibly followed by extension lines.
  versionPattern: /^k6 (v?\d+\.\d+\.\d+\S*)/m,
  typicalBuildSec: 150,
  source: { dir: 'xk6', package: './cmd/k6' },
  // `  gomeet-capacity/xk6/signaling , k6/x/gomeet [js]`
  requiredInVersion: [/^\s+gomeet-capacity\/xk6\/signaling\b.*\bk6\/x\/gomeet \[js\]$/m],
};

export const LIVEKIT_SERVER_PIN: GoToolPin = {
  name: 'livekit-server',
  module: 'github.com/livekit/livekit-server',
  version: 'v1.13.5',
  buildPackage: 'github.com/livekit/livekit-server/cmd/server',
  versionArgs: ['--version'],
  // `livekit-server version 1.13.5`
  versionPattern: /^livekit-server version (v?\d+\.\d+\.\d+\S*)/m,
  typicalBuildSec: 240,
};

/** Go release the throwaway build module declares (`go 1.26` in its go.mod). */
export const GO_BUILD_LANGUAGE_VERSION = '1.26';
