/**
 * The URL of LiveKit's v0 signaling endpoint (`/rtc`): two PeerConnections per participant — the
 * server offers on the subscriber PC, the client offers on the publisher PC. (`/rtc/v1` wants a
 * protobuf `join_request` and one PeerConnection; bots and k6 use v0 like most SDKs in the field.)
 * Query parameters as livekit-server v1.13 reads them (pkg/service/rtcservice.go, utils.go). Pure.
 */

/** Protocol version announced to the server. 16: subscriber-primary, fast start, non-error
 *  signal responses, moving; below 17 so the server never appends packet trailers to media. */
export const SIGNAL_PROTOCOL_VERSION = 16;

export interface SignalUrlOptions {
  /** Subscribe to every published track on join (default true). Bots following a layout turn it
   *  off and subscribe explicitly. */
  autoSubscribe?: boolean;
  /** Let the server pause video the client does not show (default false: bots count everything). */
  adaptiveStream?: boolean;
  /** `sdk` reported to the server (default 'js'; shows in its logs and analytics). */
  sdk?: string;
  /** Version string reported as the SDK version (default 'gomeet-capacity'). */
  sdkVersion?: string;
}

/** `ws(s)://host[:port][/path]/rtc?access_token=…&…` from an http(s) or ws(s) base URL. */
export function signalUrl(baseUrl: string, token: string, opts: SignalUrlOptions = {}): string {
  const m = /^(wss?|https?):\/\/([^/?#]+)(\/[^?#]*)?/.exec(baseUrl.trim());
  if (!m) throw new Error(`LiveKit URL must be ws://, wss://, http:// or https://, got ${JSON.stringify(baseUrl)}`);
  const scheme = m[1] === 'https' || m[1] === 'wss' ? 'wss' : 'ws';
  const path = (m[3] ?? '').replace(/\/+$/, '');
  // No URLSearchParams: k6's runtime has none; the values are all URL-safe after encodeURIComponent.
  const params: [string, string][] = [
    ['access_token', token],
    ['auto_subscribe', opts.autoSubscribe === false ? '0' : '1'],
    ['adaptive_stream', opts.adaptiveStream ? '1' : '0'],
    ['protocol', String(SIGNAL_PROTOCOL_VERSION)],
    ['sdk', opts.sdk ?? 'js'],
    ['version', opts.sdkVersion ?? 'gomeet-capacity'],
  ];
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${scheme}://${m[2]}${path}/rtc?${query}`;
}

/** The URL with its access token replaced by `***`, for logs and error messages. */
export function redactSignalUrl(url: string): string {
  return url.replace(/access_token=[^&]*/, 'access_token=***');
}
