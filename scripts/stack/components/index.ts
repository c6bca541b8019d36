/**
 * Every component of the local stack, in a dependency-respecting order (`down` walks it backwards).
 * Independent ones start together: the first wave is everything with no dependencies.
 */
import type { Component } from '../component.ts';
import { turn } from './coturn.ts';
import { gateway } from './gateway.ts';
import { influxdb } from './influxdb.ts';
import { livekitBridge } from './livekit-bridge.ts';
import { livekit } from './livekit.ts';
import { nodeExporter } from './node-exporter.ts';
import { postgresExporter } from './postgres-exporter.ts';
import { postgres } from './postgres.ts';
import { processExporter } from './process-exporter.ts';
import { prometheus } from './prometheus.ts';
import { redis, redisExporter } from './redis.ts';
import { api, signaling } from './services.ts';

export const COMPONENTS: readonly Component[] = [
  postgres,
  redis,
  influxdb,
  turn,
  livekitBridge,
  livekit,
  nodeExporter,
  processExporter,
  prometheus,
  redisExporter,
  postgresExporter,
  api,
  signaling,
  gateway,
];

export function componentNamed(name: string): Component {
  const c = COMPONENTS.find((x) => x.name === name);
  if (!c) throw new Error(`no stack component named ${name}`);
  return c;
}
