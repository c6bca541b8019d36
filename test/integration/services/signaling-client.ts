/**
 * A test's signaling client: a real `ws` socket whose server frames queue up until a test awaits
 * them by type, so a test reads like the protocol: send auth → expect auth_ok → send join → ...
 */
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../../lib/gomeet/contract.ts';

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export class SignalingClient {
  private readonly inbox: ServerMessage[] = [];
  /** Date.now() of every frame's arrival, by type (read or not). */
  private readonly arrivedAt = new Map<string, number[]>();
  /** Types of every frame, in arrival order. */
  readonly order: ServerMessage['type'][] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.inbox.push(message);
      this.order.push(message.type);
      const times = this.arrivedAt.get(message.type) ?? [];
      times.push(Date.now());
      this.arrivedAt.set(message.type, times);
      this.wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => this.wake());
  }

  static open(url: string): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const client = new SignalingClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(message: ClientMessage | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first queued frame of `type` (earlier frames of other types stay queued). */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5000, match: (m: Of<T>) => boolean = () => true): Promise<Of<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type && match(m as Of<T>));
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Of<T>;
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`no ${type} frame within ${timeoutMs} ms; queued: ${JSON.stringify(this.inbox.map((m) => m.type))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames of `type` received so far (left in the queue). */
  peek<T extends ServerMessage['type']>(type: T): Of<T>[] {
    return this.inbox.filter((m) => m.type === type) as Of<T>[];
  }

  /** When each frame of `type` arrived (Date.now()), in order. */
  arrivals(type: ServerMessage['type']): number[] {
    return [...(this.arrivedAt.get(type) ?? [])];
  }

  /** auth → auth_ok, then join → joined. */
  async authAndJoin(token: string, meetingId: string): Promise<Of<'joined'>> {
    this.send({ type: 'auth', token });
    await this.next('auth_ok');
    this.send({ type: 'join', meetingId });
    return this.next('joined');
  }

  close(): void {
    this.ws.close(1000);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
