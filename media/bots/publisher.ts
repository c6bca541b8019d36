/**
 * A publisher bot: publishes one camera (VP8, non-simulcast — werift cannot send simulcast) and one
 * microphone (Opus) from pre-encoded clips, paced in real time. The flow is a browser's: AddTrack
 * for each track (cid = the sender's msid track id, which is how the server matches the SDP to the
 * request) → offer on the publisher PC → the server's answer → trickle → media.
 *
 * The bot never encodes: it walks the clip's packet table and wraps each payload in a fresh RTP
 * packet (werift's RtpHeader/RtpPacket); werift's sender rewrites ssrc/payload type, adds the
 * negotiated header extensions, keeps a history for NACK retransmissions, and sends sender reports.
 */
import { TrackSource, TrackType } from '@livekit/protocol';
import { MediaStreamTrack, RtpHeader, RtpPacket, type RTCPeerConnection, type RTCRtpSender } from 'werift';
import { SignalTarget } from '../../lib/livekit/signal-client.ts';
import type { Clip } from '../rtp/clip.ts';
import { ClipPlayer } from '../rtp/player.ts';
import { vp8Payload } from '../rtp/vp8.ts';
import { createBotPeer } from './peer.ts';
import { BotSession, type SessionOptions } from './session.ts';

export interface PublisherClips {
  video?: Clip;
  audio?: Clip;
}

export interface TrackSendStats {
  trackSid: string;
  kind: 'audio' | 'video';
  /** RTP payload + header bytes sent. */
  bytes: number;
  packets: number;
  /** Clip units dropped because the process fell behind (a saturated generator). */
  skipped: number;
}

interface Outgoing {
  kind: 'audio' | 'video';
  sender: RTCRtpSender;
  player: ClipPlayer | null;
  trackSid: string;
  seq: number;
  pictureId: number;
  bytes: number;
  packets: number;
}

/** Milliseconds between pacing ticks: below a video frame (33 ms) and an audio packet (20 ms). */
const TICK_MS = 10;

export class PublisherBot {
  readonly session: BotSession;
  publisherPc: RTCPeerConnection | null = null;
  private readonly outgoing: Outgoing[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  publisherConnectedMs: number | null = null;

  constructor(
    opts: SessionOptions,
    readonly clips: PublisherClips,
  ) {
    this.session = new BotSession({ ...opts, autoSubscribe: false });
  }

  async start(): Promise<boolean> {
    const { session } = this;
    if (!(await session.start())) return false;
    const pc = await createBotPeer();
    this.publisherPc = pc;
    const { signal } = session;
    signal.on('answer', (sd) => {
      pc.setRemoteDescription({ type: 'answer', sdp: sd.sdp }).catch((err) => session.fail('publish_failed', `publisher answer: ${String(err)}`));
    });
    signal.on('trickle', (init, target) => {
      if (target === SignalTarget.PUBLISHER) session.addRemoteCandidate(pc, init);
    });
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && signal.isOpen) signal.trickle(JSON.stringify(candidate.toJSON()), SignalTarget.PUBLISHER);
    };
    try {
      for (const kind of ['video', 'audio'] as const) {
        const clip = this.clips[kind];
        if (!clip) continue;
        const transceiver = pc.addTransceiver(new MediaStreamTrack({ kind }), { direction: 'sendonly' });
        const sender = transceiver.sender;
        const info = await signal.addTrack({
          cid: sender.trackId,
          name: kind === 'video' ? 'camera' : 'microphone',
          type: kind === 'video' ? TrackType.VIDEO : TrackType.AUDIO,
          source: kind === 'video' ? TrackSource.CAMERA : TrackSource.MICROPHONE,
          ...(kind === 'video' ? { width: 640, height: 360 } : {}),
        });
        this.outgoing.push({ kind, sender, player: null, trackSid: info.sid, seq: randomInt(0xffff), pictureId: randomInt(0x7fff), bytes: 0, packets: 0 });
      }
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      signal.sendOffer(pc.localDescription!.sdp);
    } catch (err) {
      session.fail('publish_failed', err instanceof Error ? err.message : String(err));
      return false;
    }
    if (!(await session.waitConnected(pc, 'publisher'))) return false;
    this.publisherConnectedMs = Date.now() - session.startedAt;
    const now = Date.now();
    for (const o of this.outgoing) o.player = new ClipPlayer(this.clips[o.kind]!, now);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    return true;
  }

  private tick(): void {
    const now = Date.now();
    for (const o of this.outgoing) {
      if (!o.player) continue;
      for (const { unit, rtpTs } of o.player.due(now)) {
        if (o.kind === 'video' && unit.frameStart) o.pictureId = (o.pictureId + 1) & 0x7fff;
        const payload = o.kind === 'video' ? vp8Payload(unit.payload, unit.frameStart, o.pictureId) : unit.payload;
        o.seq = (o.seq + 1) & 0xffff;
        // A fresh header per packet: the sender rewrites it in place and keeps it for NACK.
        const header = new RtpHeader({ sequenceNumber: o.seq, timestamp: rtpTs >>> 0, marker: unit.marker, payloadType: 0 });
        const packet = new RtpPacket(header, payload);
        o.sender.sendRtp(packet).catch(() => {});
        // sendRtp has added the negotiated header extensions synchronously: count the real header.
        o.bytes += payload.length + header.serializeSize;
        o.packets += 1;
      }
    }
  }

  trackStats(): TrackSendStats[] {
    return this.outgoing.map((o) => ({ trackSid: o.trackSid, kind: o.kind, bytes: o.bytes, packets: o.packets, skipped: o.player?.skipped ?? 0 }));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.session.stop();
    await this.publisherPc?.close().catch(() => {});
  }
}

function randomInt(maxInclusive: number): number {
  return Math.floor(Math.random() * (maxInclusive + 1));
}
