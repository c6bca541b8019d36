/**
 * rate-limits — the gateway's rate limits (the seed's Traefik: 1000 req/min API, 2000 req/min
 * WebSocket) probed from the outside. Per limit, in parallel, one VU walks the phases of
 * lib/gomeet/rate-limit-probe.ts (below, at, past the limit; recovered after a period), each as its
 * own client (X-Client-Id), requests back to back; the Node judge (scripts/limits/judge.ts) reads
 * the tagged counters and says whether the 429s came exactly past the limit.
 *
 * API requests are GET /health (cheap, unauthenticated, behind the same limit as every API route);
 * WebSocket requests are handshakes to /ws closed as soon as they open — the limit counts upgrades.
 *
 * Bounded: every loop has its count from the probe, every request a timeout, and each scenario a
 * maxDuration from the number of requests and the recovery wait.
 */
import http from 'k6/http';
import { sleep } from 'k6';
import ws from 'k6/ws';
import { API } from '../lib/gomeet/contract.ts';
import { LIMIT_NAMES, parseRateLimitProbe, PHASES, phaseCount, phaseStopAfterRefused, RATE_LIMIT_METRICS, RATE_LIMIT_PROBE_ENV, submetricKey, type Phase } from '../lib/gomeet/rate-limit-probe.ts';
import { outcomeOf, runPhase, type Outcome } from '../lib/k6/rate-limit-phases.ts';
import { writeSummary } from '../lib/k6/summary.ts';
import { CLIENT_ID_HEADER, type LimitName } from '../stack/gateway/rate-limits.ts';

const probe = parseRateLimitProbe(__ENV[RATE_LIMIT_PROBE_ENV]);
const wsUrl = `${probe.gatewayUrl.replace(/^http/, 'ws')}/ws`;

/** Seconds past a full period before `recovered`: the bucket is full by then whatever the clock skew. */
const RECOVERY_MARGIN_SEC = 1;

function maxDurationSec(limit: LimitName): number {
  const l = probe.limits[limit];
  const sent = PHASES.reduce((n, p) => n + phaseCount(p, l.burst, probe.extra), 0);
  // 50 ms a request is far slower than any loopback gateway; plus the recovery wait.
  return Math.ceil(sent * 0.05 + l.periodSec + RECOVERY_MARGIN_SEC + 30);
}

function thresholds(): Record<string, string[]> {
  // Always-true thresholds: they make k6 report each {limit, phase} sub-metric in the summary.
  const out: Record<string, string[]> = {};
  for (const limit of LIMIT_NAMES) {
    for (const phase of PHASES) {
      for (const m of [RATE_LIMIT_METRICS.requests, RATE_LIMIT_METRICS.refused, RATE_LIMIT_METRICS.errors]) out[submetricKey(m, limit, phase)] = ['count>=0'];
      for (const m of [RATE_LIMIT_METRICS.firstRefusedIndex, RATE_LIMIT_METRICS.firstRefusedMs, RATE_LIMIT_METRICS.lastSentMs]) out[submetricKey(m, limit, phase)] = ['value>=-1'];
    }
  }
  return out;
}

export const options = {
  scenarios: Object.fromEntries(
    LIMIT_NAMES.map((limit) => [
      `${limit}_limit`,
      { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: `${maxDurationSec(limit)}s`, exec: limit === 'api' ? 'apiLimit' : 'websocketLimit' },
    ]),
  ),
  thresholds: thresholds(),
  // The probe reads statuses itself; a 429 is the answer it is looking for, not a failure.
  summaryTrendStats: ['avg', 'max'],
};

function clientId(limit: LimitName, phase: Phase): string {
  // `recovered` reuses the `past` client: recovery is about the bucket that was emptied.
  return `rl-${probe.runTag}-${limit}-${phase === 'recovered' ? 'past' : phase}`;
}

function sendApi(client: string): Outcome {
  const res = http.get(`${probe.gatewayUrl}${API.health}`, {
    headers: { [CLIENT_ID_HEADER]: client },
    timeout: '10s',
    tags: { name: 'rate_limit_api' },
    responseCallback: http.expectedStatuses(200, 429),
  });
  return outcomeOf(res.status, (s) => s === 200);
}

function sendWebsocket(client: string): Outcome {
  const res = ws.connect(wsUrl, { headers: { [CLIENT_ID_HEADER]: client }, tags: { name: 'rate_limit_ws' } }, (socket) => {
    socket.on('open', () => socket.close());
    // Bound: a socket that never opens or closes is dropped after 5 s.
    socket.setTimeout(() => socket.close(), 5000);
  });
  return outcomeOf(res ? res.status : 0, (s) => s === 101);
}

function walk(limit: LimitName, send: (client: string) => Outcome): void {
  const l = probe.limits[limit];
  for (const phase of PHASES) {
    if (phase === 'recovered') sleep(l.periodSec + RECOVERY_MARGIN_SEC);
    const client = clientId(limit, phase);
    runPhase(limit, phase, phaseCount(phase, l.burst, probe.extra), () => send(client), phaseStopAfterRefused(phase, probe.extra));
  }
}

export function apiLimit(): void {
  walk('api', sendApi);
}

export function websocketLimit(): void {
  walk('websocket', sendWebsocket);
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
