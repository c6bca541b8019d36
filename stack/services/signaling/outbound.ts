/**
 * Frames to clients, counted in gomeet_signaling_messages_total{direction="out"}. A frame for many
 * sockets is serialized once. `type` is always the first key of a frame: the k6 client classifies
 * frames by scanning for it before parsing (lib/k6/signaling.ts).
 */
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../lib/gomeet/contract.ts';
import type { ServiceMetrics } from '../shared/metrics.ts';
import type { Session } from './session.ts';

export class Outbound {
  constructor(private readonly metrics: ServiceMetrics) {}

  send(session: Session, message: ServerMessage): void {
    if (session.ws.readyState !== WebSocket.OPEN) return;
    session.ws.send(JSON.stringify(message));
    this.metrics.signalingMessages.inc({ service: 'signaling', type: message.type, direction: 'out' });
  }

  broadcast(sessions: Iterable<Session>, message: ServerMessage): void {
    const frame = JSON.stringify(message);
    let sent = 0;
    for (const s of sessions) {
      if (s.deferred) {
        s.deferred.push({ type: message.type, frame });
        continue;
      }
      if (s.ws.readyState !== WebSocket.OPEN) continue;
      s.ws.send(frame);
      sent += 1;
    }
    if (sent > 0) this.metrics.signalingMessages.inc({ service: 'signaling', type: message.type, direction: 'out' }, sent);
  }

  /** Sends what waited while the session was joining (call right after `joined`). */
  flushDeferred(session: Session): void {
    const waiting = session.deferred;
    session.deferred = undefined;
    if (!waiting) return;
    for (const { type, frame } of waiting) {
      if (session.ws.readyState !== WebSocket.OPEN) return;
      session.ws.send(frame);
      this.metrics.signalingMessages.inc({ service: 'signaling', type, direction: 'out' });
    }
  }
}
