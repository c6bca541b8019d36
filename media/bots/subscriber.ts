/**
 * A subscriber bot: a real participant that receives media and never decodes it. It joins with
 * auto-subscribe off, subscribes to what its layout shows (layout.ts) — video layers asked with
 * UpdateTrackSettings — keeps that current as publishers come and go, and reports per track bytes,
 * packets, loss and jitter from werift's receiver statistics (RTP level, as getStats reports them).
 */
import { TrackType, VideoQuality } from '@livekit/protocol';
import type { MediaStreamTrack, RTCRtpReceiver } from 'werift';
import { planSubscriptions, type LayoutName, type PlannedSubscription, type PublishedTrack } from './layout.ts';
import { BotSession, type SessionOptions } from './session.ts';

export interface TrackReceiveStats {
  trackSid: string;
  participantSid: string;
  kind: 'audio' | 'video';
  layer?: 'high' | 'low';
  /** RTP payload + header bytes received (what the SFU sent this bot, minus UDP/IP/SRTP tag). */
  bytes: number;
  packets: number;
  /** Packets lost per RTP sequence numbers (cumulative, RFC 3550). */
  lost: number;
  /** Interarrival jitter, ms. */
  jitterMs: number;
}

interface ReceivedTrack {
  receiver: RTCRtpReceiver;
  track: MediaStreamTrack;
}

/** LiveKit packs `<participantSid>|<trackSid>` into the msid stream id; the track id is the track sid. */
export function trackSidFromMsid(streamId: string | undefined, trackId: string | undefined): string | undefined {
  if (trackId && trackId.startsWith('TR_')) return trackId;
  const packed = streamId?.split('|')[1];
  return packed && packed.startsWith('TR_') ? packed : undefined;
}

export class SubscriberBot {
  readonly session: BotSession;
  /** Subscriptions asked for, by track sid. */
  readonly planned = new Map<string, PlannedSubscription>();
  private readonly received = new Map<string, ReceivedTrack>();

  constructor(
    opts: SessionOptions,
    readonly layout: LayoutName,
  ) {
    this.session = new BotSession({ ...opts, autoSubscribe: false });
  }

  async start(): Promise<boolean> {
    const { session } = this;
    session.onParticipants(() => this.resubscribe());
    const ok = await session.start((pc) => {
      pc.ontrack = (ev) => {
        const sid = trackSidFromMsid(ev.streams[0]?.id, ev.track.id);
        if (sid) this.received.set(sid, { receiver: ev.receiver, track: ev.track });
      };
    });
    if (ok) this.resubscribe();
    return ok;
  }

  /** The tracks published in the room now, in publication order. */
  publishedTracks(): PublishedTrack[] {
    const out: PublishedTrack[] = [];
    for (const p of this.session.participants.values()) {
      const joinedMs = Number(p.joinedAtMs || p.joinedAt * 1000n);
      p.tracks.forEach((t, i) => {
        if (t.type !== TrackType.AUDIO && t.type !== TrackType.VIDEO) return;
        out.push({ participantSid: p.sid, trackSid: t.sid, kind: t.type === TrackType.AUDIO ? 'audio' : 'video', order: joinedMs * 100 + i });
      });
    }
    return out;
  }

  /** Brings the subscriptions in line with the layout (adds new ones, drops tracks that left). */
  resubscribe(): void {
    const { signal } = this.session;
    if (!signal.isOpen || !this.session.join) return;
    const plan = planSubscriptions(this.layout, this.publishedTracks());
    const wanted = new Map(plan.map((s) => [s.trackSid, s]));
    const add = plan.filter((s) => !this.planned.has(s.trackSid));
    const drop = [...this.planned.values()].filter((s) => !wanted.has(s.trackSid));
    const relayer = plan.filter((s) => this.planned.has(s.trackSid) && this.planned.get(s.trackSid)!.layer !== s.layer);
    if (drop.length) signal.updateSubscription(groupByParticipant(drop), false);
    for (const s of drop) this.planned.delete(s.trackSid);
    if (add.length) signal.updateSubscription(groupByParticipant(add), true);
    for (const layer of ['high', 'low'] as const) {
      const sids = [...add, ...relayer].filter((s) => s.layer === layer).map((s) => s.trackSid);
      if (sids.length) signal.updateTrackSettings(sids, { quality: layer === 'high' ? VideoQuality.HIGH : VideoQuality.LOW });
    }
    for (const s of plan) this.planned.set(s.trackSid, s);
  }

  /** Per planned track: what arrived so far (zeros for a track that has not arrived). */
  async trackStats(): Promise<TrackReceiveStats[]> {
    const out: TrackReceiveStats[] = [];
    for (const s of this.planned.values()) {
      const got = this.received.get(s.trackSid);
      const stats: TrackReceiveStats = { trackSid: s.trackSid, participantSid: s.participantSid, kind: s.kind, bytes: 0, packets: 0, lost: 0, jitterMs: 0 };
      if (s.layer) stats.layer = s.layer;
      if (got) {
        const report = await got.receiver.getStats();
        for (const r of report.values() as Iterable<Record<string, number | string | undefined>>) {
          if (r.type !== 'inbound-rtp' || (got.track.ssrc && r.ssrc !== got.track.ssrc)) continue;
          stats.bytes += Number(r.bytesReceived ?? 0) + Number(r.headerBytesReceived ?? 0);
          stats.packets += Number(r.packetsReceived ?? 0);
          stats.lost += Math.max(0, Number(r.packetsLost ?? 0));
          stats.jitterMs = Math.max(stats.jitterMs, Number(r.jitter ?? 0) * 1000);
        }
      }
      out.push(stats);
    }
    return out;
  }

  stop(): Promise<void> {
    return this.session.stop();
  }
}

function groupByParticipant(subs: PlannedSubscription[]): { participantSid: string; trackSids: string[] }[] {
  const by = new Map<string, string[]>();
  for (const s of subs) by.set(s.participantSid, [...(by.get(s.participantSid) ?? []), s.trackSid]);
  return [...by].map(([participantSid, trackSids]) => ({ participantSid, trackSids }));
}
