/**
 * The bots' media: a few seconds of VP8 camera (640x360, ~500 kbit/s, one key frame a second so a
 * late subscriber waits at most a second for a picture) and Opus microphone, encoded once by ffmpeg
 * from its test sources into `.local/media/` and loaded as clips (packet tables) by every publisher.
 * Every ffmpeg command line of the bots is here.
 */
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { $, which } from 'zx';
import { UsageError } from '../scripts/exit-codes.ts';
import { LOCAL_DIR } from '../scripts/tools/paths.ts';
import { readIvf } from './containers/ivf.ts';
import { readOggOpus } from './containers/ogg.ts';
import { audioClip, videoClip, type Clip } from './rtp/clip.ts';

/** Where encoded clips are cached (gitignored). */
export const MEDIA_CACHE_DIR = join(LOCAL_DIR, 'media');

export interface ClipSpec {
  /** Seconds per loop (default 6). */
  durationSec: number;
  /** Video bitrate, kbit/s (default 500). */
  videoKbps: number;
  width: number;
  height: number;
  fps: number;
  /** Opus bitrate, kbit/s (default 32, a typical voice setting). */
  audioKbps: number;
}

export const DEFAULT_CLIP_SPEC: ClipSpec = { durationSec: 6, videoKbps: 500, width: 640, height: 360, fps: 30, audioKbps: 32 };

/** The low layer a simulcast camera sends (quarter size, ~150 kbit/s): what filmstrip tiles get.
 *  werift cannot send simulcast, so filmstrip publishers send this clip as their only layer. */
export const LOW_LAYER_CLIP_SPEC: ClipSpec = { ...DEFAULT_CLIP_SPEC, videoKbps: 150, width: 320, height: 180 };

export interface ClipFiles {
  video: string;
  audio: string;
}

function fileNames(spec: ClipSpec, dir: string): ClipFiles {
  const tag = `${spec.width}x${spec.height}-${spec.fps}fps-${spec.videoKbps}k-${spec.durationSec}s`;
  return { video: join(dir, `camera-vp8-${tag}.ivf`), audio: join(dir, `mic-opus-${spec.audioKbps}k-${spec.durationSec}s.ogg`) };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}

/** Encodes the clips unless they are cached; returns their paths. Takes about a second. */
export async function ensureClipFiles(spec: ClipSpec = DEFAULT_CLIP_SPEC, dir = MEDIA_CACHE_DIR): Promise<ClipFiles> {
  const files = fileNames(spec, dir);
  if ((await exists(files.video)) && (await exists(files.audio))) return files;
  if (!(await which('ffmpeg', { nothrow: true }))) throw new UsageError('ffmpeg is not installed (it encodes the bots\u2019 media once): apt-get install ffmpeg, or run: gomeet-capacity setup');
  await mkdir(dir, { recursive: true });
  const gop = spec.fps; // one key frame per second
  const kbps = `${spec.videoKbps}k`;
  const ffmpeg = $({ quiet: true, nothrow: true });
  // Written to a per-process .partial and renamed, so a concurrent reader (or a second runner
  // encoding at the same time) never sees half a file.
  const partial = `.partial-${process.pid}`;
  const v = await ffmpeg`ffmpeg -hide_banner -loglevel error -y -f lavfi -i ${`testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`} -t ${spec.durationSec} -c:v libvpx -b:v ${kbps} -minrate ${kbps} -maxrate ${kbps} -g ${gop} -keyint_min ${gop} -deadline realtime -cpu-used 8 -error-resilient 1 -auto-alt-ref 0 -lag-in-frames 0 -f ivf ${`${files.video}${partial}`}`;
  if (v.exitCode !== 0) throw new Error(`ffmpeg VP8 encode failed: ${v.stderr.trim().split('\n').pop()}`);
  const a = await ffmpeg`ffmpeg -hide_banner -loglevel error -y -f lavfi -i ${'sine=frequency=440:sample_rate=48000'} -t ${spec.durationSec} -ac 2 -c:a libopus -b:a ${`${spec.audioKbps}k`} -frame_duration 20 -application voip -f ogg ${`${files.audio}${partial}`}`;
  if (a.exitCode !== 0) throw new Error(`ffmpeg Opus encode failed: ${a.stderr.trim().split('\n').pop()}`);
  await rename(`${files.video}${partial}`, files.video);
  await rename(`${files.audio}${partial}`, files.audio);
  return files;
}

export interface Clips {
  video: Clip;
  audio: Clip;
}

/** Reads the clip files into packet tables (done once per process). */
export async function loadClips(files: ClipFiles): Promise<Clips> {
  return {
    video: videoClip(readIvf(await readFile(files.video))),
    audio: audioClip(readOggOpus(await readFile(files.audio))),
  };
}
