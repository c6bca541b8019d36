/**
 * The signaling transport in Node: a binary WebSocket from the `ws` package.
 * A failed handshake reports its HTTP status (401 = bad token or key/secret) as the error message.
 */
import WebSocket from 'ws';
import type { SignalTransport, TransportConnect, TransportHandlers } from './transport.ts';

export interface WsTransportOptions {
  /** Milliseconds for the TCP + WebSocket handshake (default 10000). */
  handshakeTimeoutMs?: number;
}

export function wsTransport(opts: WsTransportOptions = {}): TransportConnect {
  return (url: string, handlers: TransportHandlers): SignalTransport => {
    const ws = new WebSocket(url, { handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return; // v0 signaling is protobuf binary; a text frame would be JSON from another protocol
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      handlers.onMessage(buf);
    });
    ws.on('unexpected-response', (_req, res) => {
      // Without this listener ws reports only "Unexpected server response"; the body says why.
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 500) body += chunk;
      });
      res.on('end', () => {
        handlers.onError(`HTTP ${res.statusCode} on WebSocket upgrade: ${body.trim().slice(0, 200)}`);
        ws.terminate();
      });
    });
    ws.on('error', (err) => handlers.onError(err.message));
    ws.on('close', (code, reason) => handlers.onClose(code, reason.toString()));
    return {
      send(bytes) {
        if (ws.readyState === WebSocket.OPEN) ws.send(bytes, { binary: true });
      },
      close() {
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      },
    };
  };
}
