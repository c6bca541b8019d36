/**
 * `run` flags → validated options. Everything that can be wrong with the input is found here,
 * before any stack is started or any load is sent (UsageError → one line, exit 2).
 */
import { resolve } from 'node:path';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../../lib/profiles.ts';
import { UsageError } from '../exit-codes.ts';

export interface RunFlags {
  profile?: string;
  target?: string;
  out?: string;
  gate?: string;
  keepStack?: boolean;
}

export interface RunOptions {
  profile: ProfileName;
  /** Absolute path of the target YAML, or undefined for the local reference stack. */
  targetFile?: string;
  outDir: string;
  gate: 'normal' | 'strict';
  runId: string;
  /** Leave a local stack that `run` started running afterwards (faster next run). */
  keepStack: boolean;
}

/** Sortable, unique enough for one machine, safe in paths and metric tags: 20261130-093512-smoke-4f2a. */
export function newRunId(profile: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const rand = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
  return `${stamp}-${profile}-${rand}`;
}

export function parseRunFlags(flags: RunFlags, cwd = process.cwd()): RunOptions {
  const profile = flags.profile ?? 'smoke';
  if (!isProfileName(profile)) throw new UsageError(`unknown profile '${profile}' (known: ${PROFILE_NAMES.join(', ')})`);
  const gate = flags.gate ?? 'normal';
  if (gate !== 'normal' && gate !== 'strict') throw new UsageError(`--gate must be 'normal' or 'strict', not '${gate}'`);
  const runId = newRunId(profile);
  return {
    profile,
    targetFile: flags.target ? resolve(cwd, flags.target) : undefined,
    outDir: resolve(cwd, flags.out ?? `runs/${runId}`),
    gate,
    runId,
    keepStack: flags.keepStack ?? false,
  };
}
