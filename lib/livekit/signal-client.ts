/**
 * LiveKit's signaling protocol, written once: protobuf SignalRequest/SignalResponse frames over a
 * WebSocket (lib/livekit/transport.ts), driven by `ws` in Node and by `k6/websockets` in k6.
 *
 *   join → JoinResponse (timed) · subscriber PC: server offer → our answer · publisher PC: our offer
 *   → server answer · trickle both ways (target PUBLISHER / SUBSCRIBER) · addTrack → trackPublished ·
 *   subscription updates and track settings (quality layer) · ping_req → pong_resp (RTT) · leave.
 *
 * Pure: imports @livekit/protocol only (esbuild bundles it for k6) and uses the timers and clock
 * both runtimes have (setTimeout, Date.now). Every wait has a timeout; nothing hangs.
 */
import {
  AddTrackRequest,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo,
  ParticipantTracks,
  Ping,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  TrackInfo,
  TrickleRequest,
  UpdateSubscription,
  UpdateTrackSettings,
  VideoQuality,
} from '@livekit/protocol';
import { redactSignalUrl, signalUrl, type SignalUrlOptions } from './signal-url.ts';
import type { SignalTransport, TransportConnect } from './transport.ts';

export { SignalTarget, VideoQuality };

export interface JoinOptions extends SignalUrlOptions {
  /** Milliseconds from opening the socket to the JoinResponse before the join fails (default 15000). */
  timeoutMs?: number;
}

export interface JoinResult {
  response: JoinResponse;
  /** Milliseconds from starting the connect to the WebSocket being open. */
  connectMs: number;
  /** Milliseconds from starting the connect to the JoinResponse (what a user waits for). */
  joinMs: number;
}

/** A join or request that failed, with a reason a report can group by. */
export class SignalError extends Error {
  override name = 'SignalError';
  constructor(
    /** Short machine-readable reason: timeout, unauthorized, refused, closed, left, protocol. */
    readonly reason: SignalFailure,
    message: string,
  ) {
    super(message);
  }
}

export type SignalFailure = 'timeout' | 'unauthorized' | 'refused' | 'closed' | 'left' | 'protocol';

/** Events of an established session. */
export interface SignalEvents {
  /** The server's offer for our subscriber PC (answer it with sendAnswer). */
  offer: (sd: SessionDescription) => void;
  /** The server's answer to our publisher offer. */
  answer: (sd: SessionDescription) => void;
  /** A server ICE candidate: `candidateInit` is RTCIceCandidateInit as JSON. */
  trickle: (candidateInit: string, target: SignalTarget, final: boolean) => void;
  /** Participants joined, left or changed (their tracks included). */
  participants: (infos: ParticipantInfo[]) => void;
  /** The server asked us to leave (room closed, removed, duplicate identity, ...). */
  leave: (req: LeaveRequest) => void;
  /** The socket closed; no more events follow. */
  close: (code: number, reason: string) => void;
  /** Every decoded response, for anything the typed events do not cover. */
  response: (res: SignalResponse) => void;
}

type Listeners = { [K in keyof SignalEvents]: SignalEvents[K][] };

const DEFAULT_JOIN_TIMEOUT_MS = 15_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Turns a transport error into a reason: the WebSocket handshake's HTTP status says most. */
export function classifyConnectError(message: string): SignalFailure {
  if (/\b401\b|unauthori[sz]ed|invalid token|signature/i.test(message)) return 'unauthorized';
  if (/ECONNREFUSED|connection refused|ENOTFOUND|EHOSTUNREACH|ENETUNREACH/i.test(message)) return 'refused';
  if (/timed? ?out|ETIMEDOUT/i.test(message)) return 'timeout';
  return 'closed';
}

interface Pending<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class LiveKitSignalClient {
  private transport: SignalTransport | null = null;
  private closed = false;
  private readonly listeners: Listeners = { offer: [], answer: [], trickle: [], participants: [], leave: [], close: [], response: [] };
  private readonly pendingTracks = new Map<string, Pending<TrackInfo>>();
  private readonly pendingPings = new Map<string, Pending<number>>();
  private keepaliveTimer: ReturnType<typeof setInterval> | null = null;
  private pendingJoin: Pending<JoinResponse> | null = null;
  /** Last measured signaling round trip, ms (sent back to the server in the next ping, as SDKs do). */
  lastRttMs = 0;
  /** The JoinResponse of this session, once joined. */
  joinResponse: JoinResponse | null = null;

  constructor(private readonly connect: TransportConnect) {}

  on<K extends keyof SignalEvents>(event: K, fn: SignalEvents[K]): this {
    this.listeners[event].push(fn);
    return this;
  }

  private emit<K extends keyof SignalEvents>(event: K, ...args: Parameters<SignalEvents[K]>): void {
    for (const fn of this.listeners[event]) (fn as (...a: Parameters<SignalEvents[K]>) => void)(...args);
  }

  get isOpen(): boolean {
    return this.transport !== null && !this.closed;
  }

  /** Opens the socket and waits for the JoinResponse. Rejects with a SignalError (never hangs). */
  join(baseUrl: string, token: string, opts: JoinOptions = {}): Promise<JoinResult> {
    if (this.transport) return Promise.reject(new SignalError('protocol', 'join called twice on one signal client'));
    const url = signalUrl(baseUrl, token, opts);
    const startedAt = Date.now();
    let openedAt = 0;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS;
    return new Promise<JoinResult>((resolve, reject) => {
      let lastError = '';
      const timer = setTimeout(() => {
        this.pendingJoin = null;
        reject(new SignalError('timeout', `no JoinResponse from ${redactSignalUrl(url)} within ${timeoutMs} ms`));
        this.close();
      }, timeoutMs);
      this.pendingJoin = {
        resolve: (response) => resolve({ response, connectMs: openedAt - startedAt, joinMs: Date.now() - startedAt }),
        reject,
        timer,
      };
      this.transport = this.connect(url, {
        onOpen: () => {
          openedAt = Date.now();
        },
        onMessage: (bytes) => this.receive(bytes),
        onError: (message) => {
          // The first error says why; a teardown error after it (ws: "closed before the connection was established") does not.
          lastError ||= message;
        },
        onClose: (code, reason) => {
          const why = lastError || reason || `code ${code}`;
          this.failJoin(new SignalError(openedAt ? 'closed' : classifyConnectError(why), `signaling closed before JoinResponse: ${why}`));
          this.shutdown(code, reason || lastError);
        },
      });
    });
  }

  private failJoin(err: SignalError): void {
    const p = this.pendingJoin;
    if (!p) return;
    this.pendingJoin = null;
    clearTimeout(p.timer);
    p.reject(err);
  }

  private receive(bytes: Uint8Array): void {
    let res: SignalResponse;
    try {
      res = SignalResponse.fromBinary(bytes);
    } catch (err) {
      this.failJoin(new SignalError('protocol', `undecodable signal frame (${bytes.length} bytes): ${String(err)}`));
      return;
    }
    const msg = res.message;
    switch (msg.case) {
      case 'join': {
        this.joinResponse = msg.value;
        const p = this.pendingJoin;
        if (p) {
          this.pendingJoin = null;
          clearTimeout(p.timer);
          p.resolve(msg.value);
        }
        break;
      }
      case 'offer':
        this.emit('offer', msg.value);
        break;
      case 'answer':
        this.emit('answer', msg.value);
        break;
      case 'trickle':
        this.emit('trickle', msg.value.candidateInit, msg.value.target, msg.value.final);
        break;
      case 'update':
        this.emit('participants', msg.value.participants);
        break;
      case 'trackPublished': {
        const p = this.pendingTracks.get(msg.value.cid);
        if (p && msg.value.track) {
          this.pendingTracks.delete(msg.value.cid);
          clearTimeout(p.timer);
          p.resolve(msg.value.track);
        }
        break;
      }
      case 'pongResp': {
        const key = String(msg.value.lastPingTimestamp);
        const p = this.pendingPings.get(key);
        if (p) {
          this.pendingPings.delete(key);
          clearTimeout(p.timer);
          this.lastRttMs = Date.now() - Number(msg.value.lastPingTimestamp);
          p.resolve(this.lastRttMs);
        }
        break;
      }
      case 'leave':
        this.failJoin(new SignalError('left', `server sent leave before JoinResponse (reason ${DisconnectReason[msg.value.reason] ?? msg.value.reason})`));
        this.emit('leave', msg.value);
        break;
      default:
        break;
    }
    this.emit('response', res);
  }

  private send(message: SignalRequest['message']): void {
    if (!this.transport || this.closed) throw new SignalError('closed', `cannot send ${message.case ?? 'request'}: signaling is closed`);
    this.transport.send(new SignalRequest({ message }).toBinary());
  }

  /** Answers the server's subscriber offer (echoes its id so the server matches them). */
  sendAnswer(sdp: string, offerId = 0): void {
    this.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offerId }) });
  }

  /** Sends our publisher offer; the answer arrives as the `answer` event. */
  sendOffer(sdp: string, id = 0): void {
    this.send({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp, id }) });
  }

  /** Sends one local ICE candidate (RTCIceCandidateInit as JSON) for the given PC. */
  trickle(candidateInit: string, target: SignalTarget, final = false): void {
    this.send({ case: 'trickle', value: new TrickleRequest({ candidateInit, target, final }) });
  }

  /** Announces a track we are about to publish; resolves with the server's TrackInfo (its sid). */
  addTrack(req: Partial<AddTrackRequest> & { cid: string }, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<TrackInfo> {
    return new Promise<TrackInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingTracks.delete(req.cid);
        reject(new SignalError('timeout', `no trackPublished for ${req.cid} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingTracks.set(req.cid, { resolve, reject, timer });
      try {
        this.send({ case: 'addTrack', value: new AddTrackRequest(req) });
      } catch (err) {
        clearTimeout(timer);
        this.pendingTracks.delete(req.cid);
        reject(err as Error);
      }
    });
  }

  /** Subscribes to (or unsubscribes from) tracks by sid. */
  updateSubscription(participantTracks: { participantSid: string; trackSids: string[] }[], subscribe: boolean): void {
    const trackSids = participantTracks.flatMap((p) => p.trackSids);
    this.send({
      case: 'subscription',
      value: new UpdateSubscription({ trackSids, subscribe, participantTracks: participantTracks.map((p) => new ParticipantTracks(p)) }),
    });
  }

  /** Asks for a video quality layer (and/or a size) on subscribed tracks, or disables them. */
  updateTrackSettings(trackSids: string[], settings: { quality?: VideoQuality; width?: number; height?: number; disabled?: boolean }): void {
    this.send({ case: 'trackSetting', value: new UpdateTrackSettings({ trackSids, ...settings }) });
  }

  /** One `ping_req` → `pong_resp` round trip; resolves with the RTT in ms. */
  ping(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<number> {
    // Two pings in the same millisecond would share a key: nudge the timestamp forward.
    let ts = Date.now();
    while (this.pendingPings.has(String(ts))) ts += 1;
    const key = String(ts);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingPings.delete(key);
        reject(new SignalError('timeout', `no pong within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingPings.set(key, { resolve, reject, timer });
      try {
        this.send({ case: 'pingReq', value: new Ping({ timestamp: BigInt(ts), rtt: BigInt(Math.round(this.lastRttMs)) }) });
      } catch (err) {
        clearTimeout(timer);
        this.pendingPings.delete(key);
        reject(err as Error);
      }
    });
  }

  /** Pings every `intervalSec` (default: the JoinResponse's pingInterval) so the server sees a live
   *  signaling connection, as SDKs do. Failures only update nothing; the close event tells of loss. */
  startKeepalive(intervalSec?: number): void {
    const every = intervalSec ?? (this.joinResponse?.pingInterval || 5);
    this.stopKeepalive();
    this.keepaliveTimer = setInterval(() => {
      if (this.isOpen) this.ping().catch(() => {});
    }, every * 1000);
  }

  stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  /** Tells the server we leave (client initiated, no reconnect) and closes the socket. */
  leave(): void {
    if (this.isOpen) {
      try {
        this.send({
          case: 'leave',
          value: new LeaveRequest({ canReconnect: false, reason: DisconnectReason.CLIENT_INITIATED, action: LeaveRequest_Action.DISCONNECT }),
        });
      } catch {
        /* closing anyway */
      }
    }
    this.close();
  }

  /** Closes the socket without a leave (what a crashed client looks like to the server). */
  close(): void {
    this.stopKeepalive();
    if (this.transport && !this.closed) this.transport.close();
  }

  private shutdown(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.stopKeepalive();
    const err = new SignalError('closed', `signaling closed (${reason || `code ${code}`})`);
    for (const p of [...this.pendingTracks.values(), ...this.pendingPings.values()]) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pendingTracks.clear();
    this.pendingPings.clear();
    this.emit('close', code, reason);
  }
}
