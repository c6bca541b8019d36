import { gzipSync } from 'node:zlib';
import { JoinRequest, SessionDescription, SignalRequest, SignalResponse, TrickleRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { mapSdpCandidates, rewriteServerCandidate, rewriteServerSdp, stripSdpCandidates } from '../../../media/impair/candidate-rewrite.ts';
import { rewriteClientMessage, rewriteConnectPath, rewriteJoinRequestParam, rewriteServerMessage } from '../../../media/impair/signal-rewrite.ts';

const rewrite = { fromPort: 7882, toPort: 40001 };
// Candidate lines as livekit-server 1.13.5 and Chromium 156 write them.
const SFU_UDP = 'candidate:1790926447 1 udp 2130706431 127.0.0.1 7882 typ host generation 0';
const SFU_TCP = 'candidate:3263457263 1 tcp 1671430143 127.0.0.1 7881 typ host tcptype passive';
const CLIENT = 'candidate:3955806431 1 udp 2122260223 127.0.0.1 57206 typ host generation 0 ufrag vaIK network-id 1';

const SDP = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 'm=video 9 UDP/TLS/RTP/SAVPF 96', `a=${SFU_UDP}`, `a=${SFU_TCP}`, 'a=end-of-candidates', ''].join('\r\n');

describe('candidate rewriting', () => {
  it('points the SFU UDP candidate at the relay, keeping everything else of the line', () => {
    expect(rewriteServerCandidate(SFU_UDP, rewrite)).toBe('candidate:1790926447 1 udp 2130706431 127.0.0.1 40001 typ host generation 0');
    expect(rewriteServerCandidate(`a=${SFU_UDP}`, rewrite)).toMatch(/^a=candidate:.* 127\.0\.0\.1 40001 typ host/);
  });

  it('withholds TCP candidates (they would bypass the relay) and leaves other UDP ports alone', () => {
    expect(rewriteServerCandidate(SFU_TCP, rewrite)).toBeNull();
    expect(rewriteServerCandidate(SFU_UDP.replace(' 7882 ', ' 9999 '), rewrite)).toContain(' 9999 typ host');
  });

  it('passes a line that is not a candidate unchanged', () => {
    expect(rewriteServerCandidate('', rewrite)).toBe('');
    expect(rewriteServerCandidate('a=end-of-candidates', rewrite)).toBe('a=end-of-candidates');
  });

  it('rewrites SDP candidate lines only, keeping CRLF line ends', () => {
    const out = rewriteServerSdp(SDP, rewrite);
    expect(out.split('\r\n')).toEqual(['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 'm=video 9 UDP/TLS/RTP/SAVPF 96', `a=${SFU_UDP.replace(' 7882 ', ' 40001 ')}`, 'a=end-of-candidates', '']);
    expect(stripSdpCandidates(SDP)).not.toContain('a=candidate');
    expect(mapSdpCandidates('v=0\na=candidate:x\n', () => 'a=candidate:y')).toBe('v=0\na=candidate:y\n');
  });
});

describe('LiveKit signaling rewriting', () => {
  const trickle = (candidate: string) =>
    new SignalResponse({ message: { case: 'trickle', value: new TrickleRequest({ candidateInit: JSON.stringify({ candidate, sdpMid: '0', sdpMLineIndex: 0 }) }) } }).toBinary();

  it('rewrites the SFU’s trickled UDP candidate and drops its TCP one', () => {
    const out = rewriteServerMessage(trickle(SFU_UDP), rewrite);
    const msg = SignalResponse.fromBinary(out as Uint8Array);
    expect(msg.message.case).toBe('trickle');
    const init = JSON.parse((msg.message.value as TrickleRequest).candidateInit) as { candidate: string; sdpMid: string };
    expect(init).toEqual({ candidate: SFU_UDP.replace(' 7882 ', ' 40001 '), sdpMid: '0', sdpMLineIndex: 0 });
    expect(rewriteServerMessage(trickle(SFU_TCP), rewrite)).toBeNull();
  });

  it('rewrites the candidates of the SFU’s offers and answers', () => {
    for (const kind of ['offer', 'answer'] as const) {
      const bytes = new SignalResponse({ message: { case: kind, value: new SessionDescription({ type: kind, sdp: SDP }) } }).toBinary();
      const sdp = (SignalResponse.fromBinary(rewriteServerMessage(bytes, rewrite) as Uint8Array).message.value as SessionDescription).sdp;
      expect(sdp).toContain(' 127.0.0.1 40001 typ host');
      expect(sdp).not.toContain(' tcp ');
    }
  });

  it('passes other server messages byte for byte', () => {
    const pong = new SignalResponse({ message: { case: 'pong', value: BigInt(123) } }).toBinary();
    expect(rewriteServerMessage(pong, rewrite)).toBe(pong);
  });

  it('drops the client’s trickled candidates and strips its SDPs', () => {
    const clientTrickle = new SignalRequest({ message: { case: 'trickle', value: new TrickleRequest({ candidateInit: JSON.stringify({ candidate: CLIENT }) }) } }).toBinary();
    expect(rewriteClientMessage(clientTrickle)).toBeNull();
    const offer = new SignalRequest({ message: { case: 'offer', value: new SessionDescription({ type: 'offer', sdp: `v=0\r\na=${CLIENT}\r\n` }) } }).toBinary();
    const sdp = (SignalRequest.fromBinary(rewriteClientMessage(offer) as Uint8Array).message.value as SessionDescription).sdp;
    expect(sdp).toBe('v=0\r\n');
  });

  it('strips the candidates of a /rtc/v1 publisher offer packed (gzipped) into join_request', () => {
    const join = new JoinRequest({ metadata: 'm', publisherOffer: new SessionDescription({ type: 'offer', sdp: `v=0\r\na=${CLIENT}\r\nm=video 9 x\r\n` }) });
    const wrapped = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.GZIP, joinRequest: gzipSync(join.toBinary()) });
    const param = Buffer.from(wrapped.toBinary()).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const out = WrappedJoinRequest.fromBinary(Buffer.from(rewriteJoinRequestParam(param).replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    const decoded = JoinRequest.fromBinary(out.joinRequest);
    expect(out.compression).toBe(WrappedJoinRequest_Compression.NONE);
    expect(decoded.metadata).toBe('m');
    expect(decoded.publisherOffer?.sdp).toBe('v=0\r\nm=video 9 x\r\n');

    const path = rewriteConnectPath(`/rtc/v1?access_token=abc.def&join_request=${encodeURIComponent(param)}&x=1`);
    expect(path.startsWith('/rtc/v1?access_token=abc.def&join_request=')).toBe(true);
    expect(path.endsWith('&x=1')).toBe(true);
    expect(path).not.toContain(encodeURIComponent(param));
    expect(rewriteConnectPath('/rtc?access_token=abc')).toBe('/rtc?access_token=abc');
  });
});
