/**
 * `gomeet-capacity limits [--gateway URL] [--api-limit N] [--ws-limit N] [--period-sec S] [--extra N] [--out DIR]`
 * — the rate-limits scenario against a gateway, judged: do 429s come exactly past the limit, none
 * before, and does a client get through again after the period?
 *
 * Without --gateway it probes the local stack's gateway (`stack up`; GOMEET_STACK_PORT_OFFSET
 * honoured). The limit flags describe what the gateway enforces; they default to the seed's
 * (1000 API requests and 2000 WebSocket upgrades per 60 s) — give them only for a gateway
 * configured otherwise. Exit 0 as specified, 1 on a mismatch, 2 when the gateway does not answer,
 * 3 when k6 did not finish.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STACK_HOST, stackPorts } from '../stack/ports.ts';
import { CLIENT_ID_HEADER, overPeriod, SEED_GATEWAY_LIMITS, type GatewayLimits } from '../stack/gateway/rate-limits.ts';
import { K6_EXIT } from './clients/k6.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { formatVerdict } from './limits/judge.ts';
import { runRateLimitProbe } from './limits/run-probe.ts';
import { PROJECT_ROOT } from './tools/paths.ts';

export interface LimitsFlags {
  gateway?: string;
  apiLimit?: string;
  wsLimit?: string;
  periodSec?: string;
  extra?: string;
  out?: string;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function limitsFromFlags(flags: LimitsFlags): GatewayLimits {
  if (flags.apiLimit === undefined && flags.wsLimit === undefined && flags.periodSec === undefined) return SEED_GATEWAY_LIMITS;
  const period = positiveInt('period-sec', flags.periodSec, SEED_GATEWAY_LIMITS.api.periodSec);
  return {
    api: overPeriod(SEED_GATEWAY_LIMITS.api, period, positiveInt('api-limit', flags.apiLimit, SEED_GATEWAY_LIMITS.api.average)),
    websocket: overPeriod(SEED_GATEWAY_LIMITS.websocket, period, positiveInt('ws-limit', flags.wsLimit, SEED_GATEWAY_LIMITS.websocket.average)),
  };
}

function localGateway(): string {
  const raw = process.env.GOMEET_STACK_PORT_OFFSET;
  const offset = raw ? Number(raw) : 0;
  if (!Number.isInteger(offset)) throw new UsageError(`GOMEET_STACK_PORT_OFFSET must be an integer, got "${raw}"`);
  return `http://${STACK_HOST}:${stackPorts(offset).gateway}`;
}

export async function limitsCommand(flags: LimitsFlags): Promise<number> {
  const limits = limitsFromFlags(flags);
  const gatewayUrl = (flags.gateway ?? localGateway()).replace(/\/$/, '');
  const host = new URL(gatewayUrl).hostname;
  // The probe sends thousands of requests past a limit on purpose: loopback gateways only.
  if (!/^127\./.test(host) && host !== 'localhost') throw new UsageError(`--gateway must be on 127.0.0.0/8 (the probe floods it past its limit on purpose), got ${host}`);
  try {
    const res = await fetch(`${gatewayUrl}/health`, { headers: { [CLIENT_ID_HEADER]: 'limits-preflight' }, signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
  } catch {
    throw new UsageError(`no gateway answers at ${gatewayUrl}${flags.gateway ? '' : " (start the local stack: 'gomeet-capacity stack up')"}`);
  }
  const runTag = new Date().toISOString().replace(/[-:.]/g, '');
  const outDir = flags.out ?? join(PROJECT_ROOT, 'runs', `limits-${runTag}`);
  await mkdir(outDir, { recursive: true });
  const run = await runRateLimitProbe({ probe: { gatewayUrl, limits, extra: positiveInt('extra', flags.extra, 50), runTag }, outDir });
  console.log(formatVerdict(run.verdict));
  console.log(`summary: ${run.summaryPath}`);
  if (run.k6.exitCode !== K6_EXIT.ok) return EXIT.inconclusive;
  return run.verdict.ok ? EXIT.go : EXIT.noGo;
}
