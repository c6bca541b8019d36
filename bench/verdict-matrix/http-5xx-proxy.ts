/**
 * An HTTP proxy on 127.0.0.1 in front of the API that answers 503 instead of forwarding, by a rule
 * switched on at the fault time: every Nth request (a steady share), or every request during
 * bursts. toxiproxy works on TCP bytes and cannot write an HTTP status, so this one is HTTP-aware.
 * Everything else is forwarded untouched to the loopback upstream; stop() closes everything.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export type FiveXxRule = { kind: 'share'; everyNth: number } | { kind: 'burst'; burstSec: number; periodSec: number; sinceMs: number };

export interface Http5xxProxy {
  port: number;
  /** From now on, answer 503 by this rule (null: forward everything). */
  setRule(rule: FiveXxRule | null): void;
  stats(): { forwarded: number; refused: number };
  stop(): Promise<void>;
}

/** Whether request number `n` (1-based, counted since the rule was set) at `nowMs` gets a 503. Pure. */
export function refuses(rule: FiveXxRule | null, n: number, nowMs: number): boolean {
  if (!rule) return false;
  if (rule.kind === 'share') return n % rule.everyNth === 0;
  const into = (nowMs - rule.sinceMs) / 1000;
  return into >= 0 && into % rule.periodSec < rule.burstSec;
}

export async function startHttp5xxProxy(upstreamPort: number): Promise<Http5xxProxy> {
  let rule: FiveXxRule | null = null;
  let counted = 0;
  let forwarded = 0;
  let refused = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (rule) counted++;
    if (refuses(rule, counted, Date.now())) {
      refused++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"error":"injected 503 (verdict matrix)"}');
      return;
    }
    forwarded++;
    const up = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('5xx proxy has no port');
  return {
    port: address.port,
    setRule(r) {
      rule = r;
      counted = 0;
    },
    stats: () => ({ forwarded, refused }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
