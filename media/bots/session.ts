/**
 * What every bot does: join over LiveKit signaling, complete the subscriber PeerConnection (the
 * server offers it; it is the primary transport, so a participant that never connects it is removed
 * after 60 s), trickle candidates both ways, keep signaling alive with pings, and leave.
 * Publisher and subscriber bots build on it. Every wait is bounded; a failure is recorded on the
 * session with a reason (never thrown out of the runner).
 */
import { DisconnectReason, type JoinResponse, type ParticipantInfo } from '@livekit/protocol';
import type { RTCPeerConnection } from 'werift';
import { LiveKitSignalClient, SignalError, SignalTarget } from '../../lib/livekit/signal-client.ts';
import { wsTransport } from '../../lib/livekit/transport-ws.ts';
import { createBotPeer, isLoopbackAddress } from './peer.ts';

export type BotFailureReason =
  | 'join_timeout'
  | 'unauthorized'
  | 'refused'
  | 'signal_closed'
  | 'left'
  | 'ice_timeout'
  | 'ice_failed'
  | 'non_loopback_pair'
  | 'publish_failed'
  | 'no_media'
  | 'error';

export interface BotFailure {
  reason: BotFailureReason;
  message: string;
  /** Seconds since the bot started. */
  atSec: number;
}

export interface SessionOptions {
  /** LiveKit URL as seen from where the bot runs (inside the media namespace: ws://127.0.0.1:<port>). */
  url: string;
  token: string;
  /** Milliseconds to the JoinResponse (default 15000). */
  joinTimeoutMs?: number;
  /** Milliseconds from JoinResponse to the PeerConnection being connected (default 20000). */
  iceTimeoutMs?: number;
  autoSubscribe?: boolean;
  /** Transport-wide CC feedback on this bot's PeerConnections (default true; see peer.ts). */
  transportCc?: boolean;
}

export interface SelectedPair {
  local: string;
  remote: string;
}

export class BotSession {
  readonly signal = new LiveKitSignalClient(wsTransport());
  subscriberPc: RTCPeerConnection | null = null;
  join: JoinResponse | null = null;
  /** Remote participants by sid, kept current from JoinResponse and ParticipantUpdate. */
  readonly participants = new Map<string, ParticipantInfo>();
  failure: BotFailure | null = null;
  readonly startedAt = Date.now();
  joinMs: number | null = null;
  subscriberConnectedMs: number | null = null;
  closed = false;
  private readonly participantListeners: (() => void)[] = [];
  private readonly failureListeners: ((f: BotFailure) => void)[] = [];

  constructor(readonly opts: SessionOptions) {}

  /** Records the first failure only (later ones are consequences). */
  fail(reason: BotFailureReason, message: string): void {
    if (this.failure || this.closed) return;
    this.failure = { reason, message, atSec: (Date.now() - this.startedAt) / 1000 };
    for (const fn of this.failureListeners) fn(this.failure);
  }

  onFailure(fn: (f: BotFailure) => void): void {
    this.failureListeners.push(fn);
  }

  onParticipants(fn: () => void): void {
    this.participantListeners.push(fn);
  }

  /** Joins and connects the subscriber PC. Resolves false (with `failure` set) instead of throwing.
   *  `prepare` sees the subscriber PC before the server's offer can arrive (to set ontrack). */
  async start(prepare?: (subscriberPc: RTCPeerConnection) => void): Promise<boolean> {
    const pc = await createBotPeer({ transportCc: this.opts.transportCc !== false });
    this.subscriberPc = pc;
    prepare?.(pc);
    this.signal.on('offer', (sd) => {
      void this.answerOffer(pc, sd.sdp, sd.id).catch((err) => this.fail('error', `answering subscriber offer: ${String(err)}`));
    });
    this.signal.on('trickle', (init, target) => {
      if (target !== SignalTarget.SUBSCRIBER) return;
      this.addRemoteCandidate(pc, init);
    });
    this.signal.on('participants', (infos) => {
      this.updateParticipants(infos);
    });
    this.signal.on('leave', (req) => this.fail('left', `server asked to leave (${DisconnectReason[req.reason] ?? req.reason})`));
    this.signal.on('close', (code, reason) => this.fail('signal_closed', `signaling closed: ${reason || code}`));
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && this.signal.isOpen) this.signal.trickle(JSON.stringify(candidate.toJSON()), SignalTarget.SUBSCRIBER);
    };
    try {
      const joined = await this.signal.join(this.opts.url, this.opts.token, {
        autoSubscribe: this.opts.autoSubscribe ?? false,
        timeoutMs: this.opts.joinTimeoutMs ?? 15_000,
      });
      this.join = joined.response;
      this.joinMs = joined.joinMs;
      this.updateParticipants(joined.response.otherParticipants);
      this.signal.startKeepalive();
    } catch (err) {
      const reason = err instanceof SignalError ? err.reason : 'error';
      const map: Record<string, BotFailureReason> = { timeout: 'join_timeout', unauthorized: 'unauthorized', refused: 'refused', left: 'left' };
      this.fail(map[reason] ?? 'signal_closed', err instanceof Error ? err.message : String(err));
      return false;
    }
    const connected = await this.waitConnected(pc, 'subscriber');
    if (connected) this.subscriberConnectedMs = Date.now() - this.startedAt;
    return connected;
  }

  private async answerOffer(pc: RTCPeerConnection, sdp: string, offerId: number): Promise<void> {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    if (this.signal.isOpen) this.signal.sendAnswer(pc.localDescription!.sdp, offerId);
  }

  /** Adds a server candidate; only 127.0.0.1 candidates are used (the rest could never pair here). */
  addRemoteCandidate(pc: RTCPeerConnection, candidateInit: string): void {
    let init: { candidate?: string; sdpMid?: string; sdpMLineIndex?: number };
    try {
      init = JSON.parse(candidateInit);
    } catch {
      return;
    }
    if (!init.candidate) return;
    const address = init.candidate.split(' ')[4];
    if (!isLoopbackAddress(address)) return;
    pc.addIceCandidate(init as never).catch(() => {});
  }

  private updateParticipants(infos: ParticipantInfo[]): void {
    const self = this.join?.participant?.sid;
    for (const p of infos) {
      if (p.sid === self) continue;
      // DISCONNECTED = 3 in livekit.ParticipantInfo.State
      if (p.state === 3) this.participants.delete(p.sid);
      else this.participants.set(p.sid, p);
    }
    for (const fn of this.participantListeners) fn();
  }

  /** Waits for `pc` to reach connected; records ice_timeout / ice_failed / non_loopback_pair. */
  async waitConnected(pc: RTCPeerConnection, which: string): Promise<boolean> {
    const timeoutMs = this.opts.iceTimeoutMs ?? 20_000;
    const state = await new Promise<string>((resolve) => {
      if (pc.connectionState === 'connected') return resolve('connected');
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      const { unSubscribe } = pc.connectionStateChange.subscribe((s) => {
        if (s === 'connected' || s === 'failed' || s === 'closed') {
          clearTimeout(timer);
          unSubscribe();
          resolve(s);
        }
      });
      this.onFailure(() => {
        clearTimeout(timer);
        unSubscribe();
        resolve('aborted');
      });
    });
    if (state === 'aborted') return false;
    if (state === 'timeout') {
      this.fail('ice_timeout', `${which} PeerConnection not connected within ${timeoutMs} ms (ICE ${pc.iceConnectionState})`);
      return false;
    }
    if (state !== 'connected') {
      this.fail('ice_failed', `${which} PeerConnection ${state}`);
      return false;
    }
    const pair = await selectedPair(pc);
    if (!pair || !isLoopbackAddress(pair.local) || !isLoopbackAddress(pair.remote)) {
      this.fail('non_loopback_pair', `${which} PeerConnection selected ${pair ? `${pair.local} ↔ ${pair.remote}` : 'no pair'}`);
      return false;
    }
    return true;
  }

  /** Leaves politely and closes every PeerConnection. Idempotent. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal.leave();
    await this.subscriberPc?.close().catch(() => {});
  }
}

/** Addresses of the nominated (selected) ICE candidate pair, from getStats. */
export async function selectedPair(pc: RTCPeerConnection): Promise<SelectedPair | null> {
  const report = await pc.getStats();
  const byId = new Map<string, Record<string, unknown>>();
  for (const s of report.values() as Iterable<Record<string, unknown>>) byId.set(String(s.id), s);
  for (const s of byId.values()) {
    if (s.type === 'candidate-pair' && s.nominated) {
      const local = byId.get(String(s.localCandidateId));
      const remote = byId.get(String(s.remoteCandidateId));
      return { local: String(local?.address ?? ''), remote: String(remote?.address ?? '') };
    }
  }
  return null;
}
