/**
 * Publisher probe: paints the sender's clock into a canvas `fps` times a second and publishes the
 * canvas as a camera track with simulcast, so the real VP8 encoder of Chromium produces every layer.
 *
 * captureStream(0) + requestFrame(): a frame is captured right after it is painted, so the stamp is
 * the capture time (with captureStream(fps) the capture could trail the paint by up to a frame).
 */
import { LocalVideoTrack, Track, VideoPreset, type Room } from 'livekit-client';
import type { ProbeVideo } from '../page-api.ts';
import { paintClock } from './clock-canvas.ts';

export class CanvasPublisher {
  private readonly canvas = document.createElement('canvas');
  private ctx: CanvasRenderingContext2D | undefined;
  private captureTrack: CanvasCaptureMediaStreamTrack | undefined;
  private localTrack: LocalVideoTrack | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private drawnSinceDrain = 0;
  private nextPaintAt = 0;

  constructor(
    private readonly room: Room,
    private readonly video: ProbeVideo,
  ) {}

  async start(): Promise<void> {
    const { width, height, fps, maxBitrateKbps, simulcast } = this.video;
    this.canvas.width = width;
    this.canvas.height = height;
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2d context for the publisher canvas');
    this.ctx = ctx;
    const track = this.canvas.captureStream(0).getVideoTracks()[0];
    if (!track) throw new Error('canvas.captureStream gave no video track');
    this.captureTrack = track as CanvasCaptureMediaStreamTrack;
    this.paint();
    this.localTrack = new LocalVideoTrack(track, undefined, true);
    const maxBitrate = maxBitrateKbps * 1000;
    await this.room.localParticipant.publishTrack(this.localTrack, {
      source: Track.Source.Camera,
      videoCodec: 'vp8',
      simulcast,
      videoEncoding: { maxBitrate, maxFramerate: fps },
      // Quarter and half size below the full layer, as livekit-client's camera defaults do.
      videoSimulcastLayers: [
        new VideoPreset(Math.round(width / 4), Math.round(height / 4), Math.round(maxBitrate / 8), fps),
        new VideoPreset(Math.round(width / 2), Math.round(height / 2), Math.round(maxBitrate / 3), fps),
      ],
    });
    this.nextPaintAt = performance.now();
    this.schedule();
  }

  /** Self-correcting timer: a late tick shortens the next wait instead of drifting the frame rate. */
  private schedule(): void {
    const interval = 1000 / this.video.fps;
    this.nextPaintAt += interval;
    const now = performance.now();
    // After a stall (tab paused, machine busy) skip the missed frames rather than bursting them.
    if (this.nextPaintAt < now - interval) this.nextPaintAt = now;
    this.timer = setTimeout(() => {
      this.paint();
      this.schedule();
    }, Math.max(0, this.nextPaintAt - now));
  }

  private paint(): void {
    if (!this.ctx || !this.captureTrack) return;
    paintClock(this.ctx, this.video.width, this.video.height, { sentAtMs: Date.now(), seq: this.seq++ });
    this.captureTrack.requestFrame();
    this.drawnSinceDrain++;
  }

  takeFramesDrawn(): number {
    const n = this.drawnSinceDrain;
    this.drawnSinceDrain = 0;
    return n;
  }

  async stats(): Promise<RTCStatsReport | undefined> {
    return this.localTrack?.getRTCStatsReport();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.localTrack?.stop();
  }
}
