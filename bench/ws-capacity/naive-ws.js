/**
 * The naive design the bench compares the suite with: one VU per signaling session, the blocking
 * `k6/ws` API — what most k6 WebSocket examples do. Same protocol and timing as the suite's
 * sessions (auth → join → heartbeat, held to a common end), so only the design differs.
 *
 *   GOMEET_NAIVE_PLAN = {"connections","rampSec","holdSec","heartbeatSec","signalingUrls",
 *                        "apiBaseUrl","meetingIds","users","runId"}   (set by bench/ws-capacity/run.ts)
 *   the password in GOMEET_LOADTEST_PASSWORD; GOMEET_SUMMARY_PATH for the summary JSON
 *
 * setup() logs in a few load-test users once and hands their tokens to the VUs, so the target's
 * password hashing is not what limits the naive run. Plain JavaScript: k6 runs it as is.
 */
import http from 'k6/http';
import exec from 'k6/execution';
import { sleep } from 'k6';
import ws from 'k6/ws';
import { Counter, Rate, Trend } from 'k6/metrics';

const plan = JSON.parse(__ENV.GOMEET_NAIVE_PLAN || 'null');
if (!plan) throw new Error('GOMEET_NAIVE_PLAN is not set: run bench/ws-capacity/run.ts');

const connectMs = new Trend('naive_ws_connect_ms', true);
const connectSuccess = new Rate('naive_ws_connect_success');
const held = new Counter('naive_ws_sessions_held');
const JOIN_TIMEOUT_MS = 10000;
const TOKENS = 20;

export const options = {
  scenarios: {
    naive: {
      executor: 'per-vu-iterations',
      vus: plan.connections,
      iterations: 1,
      maxDuration: `${plan.rampSec + plan.holdSec + 60}s`,
      gracefulStop: '10s',
    },
  },
  setupTimeout: '120s',
  discardResponseBodies: true,
  tags: { run_id: plan.runId },
};

export function setup() {
  const tokens = [];
  for (let n = 0; n < Math.min(TOKENS, plan.users); n++) {
    const res = http.post(
      `${plan.apiBaseUrl}/api/auth/login`,
      JSON.stringify({ email: `loadtest-${n}@gomeet.local`, password: __ENV.GOMEET_LOADTEST_PASSWORD }),
      { headers: { 'content-type': 'application/json' }, responseType: 'text' },
    );
    if (res.status !== 200) throw new Error(`login of loadtest-${n} failed: HTTP ${res.status}`);
    tokens.push(JSON.parse(res.body).accessToken);
  }
  return { tokens };
}

export default function (data) {
  const k = exec.scenario.iterationInTest;
  const start = exec.scenario.startTime;
  // Session k opens at k / connections × rampSec, as the suite's session k does.
  const wait = start + (k * plan.rampSec * 1000) / plan.connections - Date.now();
  if (wait > 0) sleep(wait / 1000);
  const holdEnd = start + (plan.rampSec + plan.holdSec) * 1000;
  const url = plan.signalingUrls[Math.floor(k / plan.meetingIds.length) % plan.signalingUrls.length];
  const meetingId = plan.meetingIds[k % plan.meetingIds.length];
  const createdAt = Date.now();
  let joined = false;
  let counted = false;
  const count = (ok) => {
    if (!counted) connectSuccess.add(ok);
    counted = true;
  };
  ws.connect(url, {}, (socket) => {
    socket.on('open', () => {
      connectMs.add(Date.now() - createdAt);
      socket.send(JSON.stringify({ type: 'auth', token: data.tokens[k % data.tokens.length] }));
    });
    socket.on('message', (msg) => {
      if (msg.indexOf('"type":"auth_ok"') >= 0) socket.send(JSON.stringify({ type: 'join', meetingId }));
      else if (msg.indexOf('"type":"joined"') >= 0 && !joined) {
        joined = true;
        count(true);
        socket.setInterval(() => socket.send(`{"type":"heartbeat","ts":${Date.now()}}`), plan.heartbeatSec * 1000);
      }
    });
    socket.on('close', () => count(false));
    socket.setTimeout(() => {
      if (!joined) {
        count(false);
        socket.close();
      }
    }, JOIN_TIMEOUT_MS);
    socket.setTimeout(() => {
      if (joined) held.add(1);
      socket.send('{"type":"leave"}');
      socket.close();
    }, Math.max(0, holdEnd - Date.now()));
  });
  count(false);
}

export function handleSummary(data) {
  delete data.setup_data; // the tokens
  return __ENV.GOMEET_SUMMARY_PATH ? { [__ENV.GOMEET_SUMMARY_PATH]: JSON.stringify(data) } : {};
}
