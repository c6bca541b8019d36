/**
 * Subscriber probe: subscribes to one camera track — of the first publisher in `watch` that has one
 * (a probe publisher: bots' video carries no clock), or of anyone when `watch` is empty — renders
 * it, and on every frame the compositor presents (requestVideoFrameCallback) reads the sender's
 * clock back out of the pixels. Nothing else is subscribed: the page decodes one video only.
 * Latency = Date.now() in the callback − the stamp: capture, encode, network, SFU, jitter buffer,
 * decode and render, all on this machine's one clock.
 */
import { RoomEvent, Track, VideoQuality, type RemoteParticipant, type RemoteTrack, type RemoteTrackPublication, type Room } from 'livekit-client';
import { latencyMs, type ReadFailure } from '../clock-pattern.ts';
import type { ProbeLayer } from '../page-api.ts';
import { ClockReader } from './clock-canvas.ts';

const QUALITY: Record<ProbeLayer, VideoQuality> = { high: VideoQuality.HIGH, medium: VideoQuality.MEDIUM, low: VideoQuality.LOW };

export class ClockSubscriber {
  private readonly reader = new ClockReader();
  private video: HTMLVideoElement | undefined;
  private track: RemoteTrack | undefined;
  private chosen: RemoteTrackPublication | undefined;
  private stopped = false;
  private lastStamp = -1;
  private latencies: number[] = [];
  private framesRead = 0;
  private failures: Record<ReadFailure, number> = { ambiguous: 0, checksum: 0, implausible: 0 };

  constructor(
    private readonly room: Room,
    private readonly layer: ProbeLayer,
    private readonly watch: readonly string[],
    private readonly onError: (message: string) => void,
  ) {
    room.on(RoomEvent.TrackPublished, () => this.choose());
    room.on(RoomEvent.TrackSubscribed, (track, publication) => this.attach(track, publication));
  }

  /** Picks the camera track to read (once), in `watch` order; call after connecting and on every publish. */
  choose(): void {
    if (this.chosen) return;
    const participants = [...this.room.remoteParticipants.values()];
    const ranked: RemoteParticipant[] =
      this.watch.length === 0 ? participants : this.watch.flatMap((id) => participants.filter((p) => p.identity === id));
    for (const p of ranked) {
      const pub = [...p.trackPublications.values()].find((t) => t.kind === Track.Kind.Video && t.source === Track.Source.Camera);
      if (!pub) continue;
      this.chosen = pub;
      pub.setSubscribed(true);
      return;
    }
  }

  get subscribed(): boolean {
    return this.video !== undefined;
  }

  private attach(track: RemoteTrack, publication: RemoteTrackPublication): void {
    if (this.video || publication !== this.chosen) return;
    this.track = track;
    publication.setVideoQuality(QUALITY[this.layer]);
    const video = track.attach() as HTMLVideoElement;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.body.appendChild(video);
    this.video = video;
    video.play().catch((err: unknown) => this.onError(`video.play: ${String(err)}`));
    video.requestVideoFrameCallback(this.onFrame);
  }

  private readonly onFrame = (): void => {
    if (this.stopped || !this.video) return;
    const now = Date.now();
    try {
      const read = this.reader.read(this.video);
      if (!read.ok) {
        this.framesRead++;
        this.failures[read.reason]++;
      } else {
        const stamp = read.sentLow32 * 256 + read.seq8;
        // The compositor may present the same decoded frame twice: only new frames count.
        if (stamp !== this.lastStamp) {
          this.lastStamp = stamp;
          this.framesRead++;
          const ms = latencyMs(read.sentLow32, now);
          if (ms === undefined) this.failures.implausible++;
          else this.latencies.push(ms);
        }
      }
    } catch (err) {
      this.onError(`clock read: ${String(err)}`);
    }
    this.video.requestVideoFrameCallback(this.onFrame);
  };

  take(): { latencyMs: number[]; framesRead: number; readFailures: Record<ReadFailure, number> } {
    const out = { latencyMs: this.latencies, framesRead: this.framesRead, readFailures: this.failures };
    this.latencies = [];
    this.framesRead = 0;
    this.failures = { ambiguous: 0, checksum: 0, implausible: 0 };
    return out;
  }

  async stats(): Promise<RTCStatsReport | undefined> {
    return this.track?.getRTCStatsReport();
  }

  stop(): void {
    this.stopped = true;
    this.track?.detach();
  }
}
