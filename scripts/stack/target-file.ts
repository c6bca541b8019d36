/**
 * `.local/stack/target.yaml`: the local stack described in the target schema, so `run` (and any
 * operator) loads it like any other target. Validated before it is written; names only the
 * environment variables that hold secrets.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { TargetSchema, type Target } from '../../lib/config/target.ts';
import { COLOCATED_GENERATOR_OVERRIDES } from '../../thresholds/queries.ts';
import type { StackContext } from './component.ts';
import { turnUrls } from './components/coturn.ts';
import { INFLUX_DATABASE, influxUrl } from './components/influxdb.ts';
import { prometheusUrl } from './components/prometheus.ts';
import { LOADTEST_USERS, livekitUrl, signalingUrls } from './service-env.ts';

export function localTarget(ctx: StackContext): Target {
  return TargetSchema.parse({
    name: 'local-reference',
    environment: 'local',
    api: { baseUrl: `http://${ctx.host}:${ctx.ports.api}` },
    signaling: { url: signalingUrls(ctx) },
    livekit: { url: livekitUrl(ctx), apiKeyEnv: 'GOMEET_LIVEKIT_API_KEY', apiSecretEnv: 'GOMEET_LIVEKIT_API_SECRET' },
    // The generator shares this machine: CPU and memory are judged on GoMeet's own processes only.
    prometheus: { url: prometheusUrl(ctx), queries: COLOCATED_GENERATOR_OVERRIDES },
    influxdb: { url: influxUrl(ctx), database: INFLUX_DATABASE },
    auth: { users: LOADTEST_USERS, passwordEnv: 'GOMEET_LOADTEST_PASSWORD' },
    // What infra-smoke reads capacity settings from (TURN allocation, maxclients, replication).
    turn: { urls: turnUrls(ctx), secretEnv: 'GOMEET_TURN_SECRET' },
    redis: { url: `redis://${ctx.host}:${ctx.ports.redis}` },
    postgres: { url: `postgresql://gomeet@${ctx.host}:${ctx.ports.postgres}/gomeet`, passwordEnv: 'GOMEET_PG_PASSWORD' },
  });
}

export async function writeTargetFile(ctx: StackContext): Promise<string> {
  const header = '# Written by `gomeet-capacity stack up` for the local reference stack. Secrets are in secrets.env beside it.\n';
  await writeFile(ctx.layout.targetFile, header + stringify(localTarget(ctx)));
  return ctx.layout.targetFile;
}

/** The secrets target.yaml's *Env fields name, with their values: what k6 and the checks need. */
export function targetSecretsEnv(ctx: StackContext): Record<string, string> {
  return {
    GOMEET_LOADTEST_PASSWORD: ctx.secrets.GOMEET_LOADTEST_PASSWORD,
    GOMEET_LIVEKIT_API_KEY: ctx.secrets.GOMEET_LIVEKIT_API_KEY,
    GOMEET_LIVEKIT_API_SECRET: ctx.secrets.GOMEET_LIVEKIT_API_SECRET,
    GOMEET_TURN_SECRET: ctx.secrets.GOMEET_TURN_SECRET,
    GOMEET_PG_PASSWORD: ctx.secrets.GOMEET_PG_PASSWORD,
  };
}
