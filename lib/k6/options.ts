/**
 * k6 options from the plan: scenario shapes come from the profile (never written in a scenario),
 * thresholds from the table (thresholds/k6.ts). Shared by the three scenario scripts so `api` and
 * `websocket` alone run exactly as they do inside `comprehensive`.
 */
import type { Options, Scenario } from 'k6/options';
import type { Plan } from '../gomeet/plan.ts';
import type { ApiLoad, WebsocketLoad } from '../profiles.ts';
import { k6Thresholds, SUMMARY_TREND_STATS, type K6Thresholds } from '../../thresholds/k6.ts';
import { THRESHOLD_TABLE, type RowId } from '../../thresholds/table.ts';
import { JOIN_TIMEOUT_MS, sessionsOfRunner, websocketVUs } from './ramp.ts';

/** Rows each scenario produces the metrics of; a scenario run alone gates only its own rows. */
export const SCENARIO_ROWS: Record<'api' | 'websocket', readonly RowId[]> = {
  api: ['api_p95_ms', 'api_error_rate_pct'],
  websocket: ['ws_connections', 'ws_connect_success_pct'],
};

/** How long k6 waits for an in-flight iteration after a scenario's time is up. */
const GRACEFUL_STOP = '10s';
/** Setup creates the meetings one by one; generous, since a slow target should fail a threshold, not setup. */
const SETUP_TIMEOUT = '120s';

/** Open model: iterations start at the profile's rate whatever the server's speed. */
export function apiScenario(api: ApiLoad): Scenario {
  const stages = [
    { duration: `${api.rampSec}s`, target: api.ratePerSec },
    { duration: `${api.steadySec}s`, target: api.ratePerSec },
  ].filter((s) => s.duration !== '0s');
  return {
    executor: 'ramping-arrival-rate',
    exec: 'apiIteration',
    startRate: api.rampSec === 0 ? api.ratePerSec : 0,
    timeUnit: '1s',
    preAllocatedVUs: api.preAllocatedVUs,
    maxVUs: api.maxVUs,
    stages,
    gracefulStop: GRACEFUL_STOP,
  };
}

/** Closed model, as a participant's client is: each VU runs once and holds connectionsPerVU sessions. */
export function websocketScenario(ws: WebsocketLoad): Scenario {
  // Ramp + hold, plus the last sessions' join timeout and time for the closes to finish: 20 s, and
  // 1 s more per 50 sessions of a VU (its closes go one by one through unbuffered hand-offs; 1,000
  // per VU on a saturated 2-core machine took tens of seconds).
  const maxDurationSec = ws.rampSec + ws.holdSec + Math.ceil(JOIN_TIMEOUT_MS / 1000) + 20 + Math.ceil(ws.connectionsPerVU / 50);
  return {
    executor: 'per-vu-iterations',
    exec: 'websocketSessions',
    vus: websocketVUs(ws.connections, ws.connectionsPerVU),
    iterations: 1,
    maxDuration: `${maxDurationSec}s`,
    gracefulStop: GRACEFUL_STOP,
  };
}

/** This runner's thresholds for the gated rows of the scenarios it runs. */
export function thresholdsFor(plan: Plan, scenarios: ReadonlyArray<keyof typeof SCENARIO_ROWS>): K6Thresholds {
  const ws = plan.profile.websocket;
  // Its counters only see its own execution segment's sessions.
  const planned = sessionsOfRunner(plan.runner.id, plan.runner.count, ws.connections, ws.connectionsPerVU);
  // A runner left without websocket VUs (more runners than VUs) has no websocket rows to gate.
  const own = new Set(scenarios.flatMap((s) => (s === 'websocket' && planned === 0 ? [] : SCENARIO_ROWS[s])));
  return k6Thresholds(THRESHOLD_TABLE, { gates: plan.gates.filter((g) => own.has(g)), plannedConnections: planned });
}

/** Options every scenario script shares. */
export function commonOptions(plan: Plan, scenarios: Options['scenarios'], thresholds: K6Thresholds): Options {
  return {
    scenarios,
    thresholds: thresholds as Options['thresholds'],
    // Non-secret identifiers only: every sample says which run and runner produced it.
    tags: { run_id: plan.runId, runner: String(plan.runner.id) },
    summaryTrendStats: SUMMARY_TREND_STATS,
    setupTimeout: SETUP_TIMEOUT,
    // Bodies are only read where a request asks for one (login, create in setup).
    discardResponseBodies: true,
  };
}
