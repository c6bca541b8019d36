/**
 * The one thing the LiveKit signaling client needs from a runtime: a binary WebSocket.
 * Node implements it with `ws` (transport-ws.ts), k6 with `k6/websockets` (transport-k6.ts), so the
 * protocol (signal-client.ts) is written once. Pure types: imports neither Node nor k6.
 */

/** What a transport reports. Exactly one of onOpen/onError happens first; onClose ends it. */
export interface TransportHandlers {
  onOpen(): void;
  /** One binary frame (a protobuf SignalResponse). */
  onMessage(bytes: Uint8Array): void;
  /** A failure to connect or a socket error; always followed by onClose. */
  onError(message: string): void;
  onClose(code: number, reason: string): void;
}

export interface SignalTransport {
  /** Sends one binary frame. Ignored after close. */
  send(bytes: Uint8Array): void;
  /** Closes the socket (normal closure); onClose follows. */
  close(): void;
}

/** Opens a WebSocket to `url` and reports to `handlers`. Must not throw for network failures:
 *  those arrive as onError + onClose. */
export type TransportConnect = (url: string, handlers: TransportHandlers) => SignalTransport;
