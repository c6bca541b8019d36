/**
 * The signaling transport in k6: a binary WebSocket from `k6/websockets` (event-loop based, so one
 * VU can hold many participants). esbuild bundles this with signal-client.ts and @livekit/protocol
 * into scenario scripts; `k6/*` stays an import that k6 provides.
 *
 * The URL carries the access token, and k6 tags every WebSocket metric with its URL by default: the
 * `name` tag (which k6 then also uses as `url`) keeps the token out of every metric and the results store.
 *
 * k6 reports a refused upgrade only as "bad handshake", without the status. As livekit-client does,
 * the reason is then asked of `/rtc/validate` (401 = bad token or key/secret, 404 = no such
 * endpoint, connection refused = nothing listening), with the token in a header, not in the URL.
 */
import http from 'k6/http';
import { WebSocket } from 'k6/websockets';
import { redactSignalUrl } from './signal-url.ts';
import type { SignalTransport, TransportConnect, TransportHandlers } from './transport.ts';

export interface K6TransportOptions {
  /** Extra tags on this socket's k6 metrics (e.g. room, scenario). */
  tags?: Record<string, string>;
}

export function k6Transport(opts: K6TransportOptions = {}): TransportConnect {
  return (url: string, handlers: TransportHandlers): SignalTransport => {
    const ws = new WebSocket(url, null, { tags: { ...opts.tags, url: redactSignalUrl(url), name: 'livekit-signal' } });
    ws.binaryType = 'arraybuffer';
    let open = false;
    let closed = false;
    ws.addEventListener('open', () => {
      open = true;
      handlers.onOpen();
    });
    ws.addEventListener('message', (ev) => {
      const data = (ev as { data?: unknown }).data;
      if (data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(data));
    });
    ws.addEventListener('error', (ev) => {
      const message = String((ev as { error?: unknown }).error ?? 'websocket error');
      handlers.onError(redactSignalUrl(!open && /bad handshake/i.test(message) ? explainRefusedUpgrade(url) : message));
    });
    ws.addEventListener('close', (ev) => {
      if (closed) return;
      closed = true;
      const e = ev as unknown as { code?: number; reason?: string };
      handlers.onClose(e.code ?? (open ? 1000 : 1006), e.reason ?? '');
    });
    return {
      send(bytes) {
        if (!open || closed) return;
        // k6 sends an ArrayBuffer as a binary frame; copy out exactly this view's bytes.
        ws.send(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      },
      close() {
        if (!closed) ws.close();
      },
    };
  };
}

/** Why the server refused the WebSocket upgrade, from livekit-server's validate endpoint. */
export function explainRefusedUpgrade(url: string): string {
  const m = /^(wss?):\/\/([^?]+)\?(.*)$/.exec(url);
  if (!m) return 'websocket: bad handshake';
  const token = /(?:^|&)access_token=([^&]*)/.exec(m[3]!)?.[1] ?? '';
  const query = m[3]!.replace(/(?:^|&)access_token=[^&]*/, '').replace(/^&/, '');
  const res = http.get(`${m[1] === 'wss' ? 'https' : 'http'}://${m[2]}/validate?${query}`, {
    headers: { Authorization: `Bearer ${decodeURIComponent(token)}` },
    tags: { name: 'livekit-validate' },
    // A 401 here is the answer asked for, not a failed request of the test.
    responseCallback: http.expectedStatuses(200, 401, 403, 404),
    timeout: '5s',
  });
  if (res.status === 0) return `websocket: bad handshake; validate: ${res.error}`;
  return `HTTP ${res.status} on WebSocket upgrade: ${String(res.body ?? '').trim().slice(0, 200)}`;
}
