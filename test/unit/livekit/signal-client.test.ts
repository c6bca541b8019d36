/**
 * The protocol logic of the signal client over an in-memory transport that answers with real
 * protobuf frames (the wire format is @livekit/protocol's, as livekit-server sends it). The real
 * server is exercised in test/integration/media.
 */
import { JoinResponse, Pong, Room, SignalRequest, SignalResponse, TrackInfo, TrackPublishedResponse } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { classifyConnectError, LiveKitSignalClient, SignalError } from '../../../lib/livekit/signal-client.ts';
import type { TransportConnect, TransportHandlers } from '../../../lib/livekit/transport.ts';

type Script = (req: SignalRequest, reply: (res: SignalResponse) => void) => void;

function fakeServer(opts: { join?: boolean; refuse?: string; onRequest?: Script } = {}) {
  const sent: SignalRequest[] = [];
  let handlers: TransportHandlers | null = null;
  let url = '';
  const connect: TransportConnect = (u, h) => {
    url = u;
    handlers = h;
    setTimeout(() => {
      if (opts.refuse) {
        h.onError(opts.refuse);
        h.onClose(1006, '');
        return;
      }
      h.onOpen();
      if (opts.join !== false) h.onMessage(new SignalResponse({ message: { case: 'join', value: new JoinResponse({ room: new Room({ name: 'r1' }), pingInterval: 5 }) } }).toBinary());
    }, 5);
    return {
      send(bytes) {
        const req = SignalRequest.fromBinary(bytes);
        sent.push(req);
        opts.onRequest?.(req, (res) => setTimeout(() => h.onMessage(res.toBinary()), 1));
      },
      close() {
        setTimeout(() => h.onClose(1000, 'bye'), 1);
      },
    };
  };
  return { connect, sent, url: () => url, push: (res: SignalResponse) => handlers?.onMessage(res.toBinary()) };
}

describe('LiveKitSignalClient', () => {
  it('join resolves with the JoinResponse and the time to it', async () => {
    const srv = fakeServer();
    const c = new LiveKitSignalClient(srv.connect);
    const r = await c.join('ws://h', 'tok');
    expect(r.response.room?.name).toBe('r1');
    expect(r.joinMs).toBeGreaterThanOrEqual(r.connectMs);
    expect(srv.url()).toContain('access_token=tok');
  });

  it('a JoinResponse that never comes is a timeout, not a hang', async () => {
    const c = new LiveKitSignalClient(fakeServer({ join: false }).connect);
    const err = await c.join('ws://h', 't', { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalError);
    expect((err as SignalError).reason).toBe('timeout');
  });

  it('names why a connect failed: 401 → unauthorized, ECONNREFUSED → refused', async () => {
    const unauth = await new LiveKitSignalClient(fakeServer({ refuse: 'HTTP 401 on WebSocket upgrade: invalid token' }).connect).join('ws://h', 't').catch((e: SignalError) => e.reason);
    expect(unauth).toBe('unauthorized');
    const refused = await new LiveKitSignalClient(fakeServer({ refuse: 'connect ECONNREFUSED 127.0.0.1:1' }).connect).join('ws://h', 't').catch((e: SignalError) => e.reason);
    expect(refused).toBe('refused');
    expect(classifyConnectError('socket hang up')).toBe('closed');
  });

  it('ping measures the round trip of ping_req → pong_resp', async () => {
    const srv = fakeServer({
      onRequest: (req, reply) => {
        if (req.message.case === 'pingReq') {
          const ts = req.message.value.timestamp;
          setTimeout(() => reply(new SignalResponse({ message: { case: 'pongResp', value: new Pong({ lastPingTimestamp: ts, timestamp: BigInt(Date.now()) }) } })), 30);
        }
      },
    });
    const c = new LiveKitSignalClient(srv.connect);
    await c.join('ws://h', 't');
    const rtt = await c.ping();
    expect(rtt).toBeGreaterThanOrEqual(25);
    expect(rtt).toBeLessThan(1000);
  });

  it('addTrack resolves with the server’s TrackInfo for that cid; trickle and answers go out as protobuf', async () => {
    const srv = fakeServer({
      onRequest: (req, reply) => {
        if (req.message.case === 'addTrack') {
          reply(new SignalResponse({ message: { case: 'trackPublished', value: new TrackPublishedResponse({ cid: req.message.value.cid, track: new TrackInfo({ sid: 'TR_x' }) }) } }));
        }
      },
    });
    const c = new LiveKitSignalClient(srv.connect);
    await c.join('ws://h', 't');
    expect((await c.addTrack({ cid: 'cam' })).sid).toBe('TR_x');
    c.trickle('{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host"}', 1);
    c.sendAnswer('v=0', 7);
    const cases = srv.sent.map((r) => r.message.case);
    expect(cases).toEqual(['addTrack', 'trickle', 'answer']);
    const answer = srv.sent[2]!.message.value as { id: number; type: string };
    expect(answer).toMatchObject({ id: 7, type: 'answer' });
  });

  it('a request pending when the socket closes is rejected; leave sends LeaveRequest then closes', async () => {
    const srv = fakeServer();
    const c = new LiveKitSignalClient(srv.connect);
    await c.join('ws://h', 't');
    const pending = c.addTrack({ cid: 'never' }, 10_000).catch((e: SignalError) => e.reason);
    const closed = new Promise<number>((r) => c.on('close', (code) => r(code)));
    c.leave();
    expect(await pending).toBe('closed');
    expect(await closed).toBe(1000);
    expect(srv.sent.map((r) => r.message.case)).toContain('leave');
    expect(() => c.trickle('{}', 0)).toThrow(SignalError);
  });

  it('emits server offers and trickles with their target', async () => {
    const srv = fakeServer();
    const c = new LiveKitSignalClient(srv.connect);
    const offers: string[] = [];
    const trickles: number[] = [];
    c.on('offer', (sd) => offers.push(sd.sdp)).on('trickle', (_i, target) => trickles.push(target));
    await c.join('ws://h', 't');
    srv.push(new SignalResponse({ message: { case: 'offer', value: { type: 'offer', sdp: 'v=0 o', id: 1, midToTrackId: {} } as never } }));
    srv.push(new SignalResponse({ message: { case: 'trickle', value: { candidateInit: '{}', target: 1, final: false } as never } }));
    expect(offers).toEqual(['v=0 o']);
    expect(trickles).toEqual([1]);
  });
});
