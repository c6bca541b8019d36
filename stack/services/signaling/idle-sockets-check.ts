/**
 * Capacity sanity check (not a test): how much memory an idle authenticated signaling socket costs.
 *
 *   GOMEET_LOADTEST_PASSWORD=... node --import tsx stack/services/signaling/idle-sockets-check.ts \
 *     [--sockets 5000] [--api http://127.0.0.1:18080] [--ports 18090,18091,18092,18093] [--meetings 50]
 *     [--hold-sec 10] [--heartbeat-sec 15]
 *
 * 1. read every worker's RSS from its /metrics (baseline)
 * 2. log in one load-test user per 100 sockets, create `meetings` meetings
 * 3. open the sockets round-robin over the ports, 200 at a time: auth → join (meeting k mod meetings)
 * 4. hold them for hold-sec, idle but for a heartbeat per heartbeat-sec (the server closes silent
 *    sessions after 3 intervals, and opening thousands of sockets can take longer than that), read RSS again
 * 5. print sockets held, total RSS growth and RSS per socket; close everything
 * Bounded: at most --sockets sockets, to 127.0.0.1 only, and it ends by itself.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { API, type LoginResponse, type Meeting, loadTestUserEmail } from '../../../lib/gomeet/contract.ts';

const { values: flags } = parseArgs({
  options: {
    sockets: { type: 'string', default: '5000' },
    api: { type: 'string', default: 'http://127.0.0.1:18080' },
    ports: { type: 'string', default: '18090,18091,18092,18093' },
    meetings: { type: 'string', default: '50' },
    'hold-sec': { type: 'string', default: '10' },
    'heartbeat-sec': { type: 'string', default: '15' },
  },
});
const sockets = Math.min(Number(flags.sockets), 18_000); // one client process: stay under 20,000 open files
const ports = flags.ports.split(',').map(Number);
const meetingCount = Number(flags.meetings);
const holdSec = Number(flags['hold-sec']);
const heartbeatSec = Number(flags['heartbeat-sec']);
const password = process.env.GOMEET_LOADTEST_PASSWORD;
if (!password) {
  console.error('error: GOMEET_LOADTEST_PASSWORD is required');
  process.exit(2);
}
for (const url of [flags.api, ...ports.map((p) => `http://127.0.0.1:${p}`)]) {
  if (new URL(url).hostname !== '127.0.0.1') {
    console.error(`error: ${url}: this check only talks to 127.0.0.1`);
    process.exit(2);
  }
}

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(flags.api + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Sum over the workers of one process metric read from their /metrics. */
async function workersTotal(metric: string): Promise<number> {
  const texts = await Promise.all(ports.map(async (p) => (await fetch(`http://127.0.0.1:${p}/metrics`)).text()));
  let sum = 0;
  for (const text of texts) {
    const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));
    sum += Number(line?.split(' ').at(-1));
  }
  return sum;
}
const memory = async () => ({
  rss: await workersTotal('process_resident_memory_bytes'),
  heap: await workersTotal('nodejs_heap_size_used_bytes'),
  cpuSec: await workersTotal('process_cpu_seconds_total'),
});

/** Why sessions ended early, by close code or failure reason (what to look at when the check fails). */
const endings = new Map<string, number>();
const count = (key: string) => endings.set(key, (endings.get(key) ?? 0) + 1);

function openSession(url: string, token: string, meetingId: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let joined = false;
    let phase = 'connecting';
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no joined within 15 s (stuck ${phase})`));
    }, 15_000);
    ws.on('open', () => {
      phase = 'waiting for auth_ok';
      ws.send(JSON.stringify({ type: 'auth', token }));
    });
    ws.on('message', (data) => {
      // Classified by prefix, not parsed: presence frames are most of the traffic and need no reading.
      const text = data.toString();
      if (text.startsWith('{"type":"auth_ok"')) {
        phase = 'waiting for joined';
        ws.send(JSON.stringify({ type: 'join', meetingId }));
      }
      else if (text.startsWith('{"type":"joined"')) {
        joined = true;
        clearTimeout(timer);
        resolve(ws);
      } else if (text.startsWith('{"type":"error"')) count(`error frame: ${text.slice(0, 80)}`);
    });
    ws.on('close', (code, reason) => {
      if (joined) return count(`closed ${code} after join`);
      clearTimeout(timer);
      count(`closed ${code} ${reason.toString()} while ${phase}`);
      reject(new Error(`closed ${code}`));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      count(`socket error: ${err.message}`);
      reject(err);
    });
  });
}

const baseline = await memory();
const users = await Promise.all(
  Array.from({ length: Math.ceil(sockets / 100) }, (_, n) => post<LoginResponse>(API.login, { email: loadTestUserEmail(n), password })),
);
const meetings = await Promise.all(
  Array.from({ length: meetingCount }, (_, k) => post<Meeting>(API.meetings, { title: `idle-check ${k}`, maxParticipants: 10_000 }, users[0]!.accessToken)),
);

const open: WebSocket[] = [];
let failed = 0;
/** Memory once half the sockets are open: the slope from there to the end is the per-socket cost
 *  without the workers' start-up garbage and fixed overhead in it. */
let half: { memory: Awaited<ReturnType<typeof memory>>; sockets: number } | undefined;
// One timer for all sockets, as a load generator would do it.
const heartbeats = setInterval(() => {
  const frame = JSON.stringify({ type: 'heartbeat', ts: Date.now() });
  for (const ws of open) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}, heartbeatSec * 1000);
const started = Date.now();
for (let first = 0; first < sockets; first += 200) {
  const batch = Array.from({ length: Math.min(200, sockets - first) }, (_, i) => {
    const k = first + i;
    const url = `ws://127.0.0.1:${ports[k % ports.length]}/ws`;
    return openSession(url, users[Math.floor(k / 100)]!.accessToken, meetings[k % meetingCount]!.id);
  });
  for (const r of await Promise.allSettled(batch)) {
    if (r.status === 'fulfilled') open.push(r.value);
    else {
      failed += 1;
      if (r.reason instanceof Error && r.reason.message.startsWith('no joined')) count(r.reason.message);
    }
  }
  if (!half && open.length >= sockets / 2) half = { memory: await memory(), sockets: open.length };
}
const openSec = (Date.now() - started) / 1000;
await sleep(holdSec * 1000);
const held = open.filter((ws) => ws.readyState === WebSocket.OPEN).length;
const loaded = await memory();

const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const kib = (b: number) => (b / 1024).toFixed(1);
console.log(`sockets joined ${open.length} of ${sockets} (${failed} failed) in ${openSec.toFixed(1)} s; still open after ${holdSec} s: ${held}`);
console.log(`signaling workers (${ports.length}) RSS: ${mib(baseline.rss)} MiB idle → ${mib(loaded.rss)} MiB with ${held} sockets`);
console.log(`per socket, whole run: RSS ${kib((loaded.rss - baseline.rss) / Math.max(1, held))} KiB, JS heap ${kib((loaded.heap - baseline.heap) / Math.max(1, held))} KiB`);
if (half && held > half.sockets) {
  const n = held - half.sockets;
  console.log(`per socket, second half (${n} sockets): RSS ${kib((loaded.rss - half.memory.rss) / n)} KiB, JS heap ${kib((loaded.heap - half.memory.heap) / n)} KiB`);
}
console.log(`signaling CPU per session set up (connect, auth, join, presence): ${(((half?.memory.cpuSec ?? loaded.cpuSec) - baseline.cpuSec) * 1000 / Math.max(1, half?.sockets ?? held)).toFixed(2)} ms`);
for (const [why, n] of endings) console.log(`  ${n} × ${why}`);

clearInterval(heartbeats);
for (const ws of open) ws.close(1000);
await sleep(1000);
for (const ws of open) ws.terminate();
process.exit(failed > 0 || held < open.length ? 1 : 0);
