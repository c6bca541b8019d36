/**
 * LiveKit signaling messages with their ICE candidates rewritten (see candidate-rewrite.ts for why):
 * server → client, the SFU's UDP candidate points at the relay and its TCP candidates are dropped;
 * client → server, the client's candidates are dropped, in trickles, SDPs, and the publisher offer a
 * `/rtc/v1` client packs into the `join_request` query parameter. Messages are protobuf
 * (SignalRequest / SignalResponse from @livekit/protocol); a message this does not understand
 * passes through untouched.
 */
import { gunzipSync } from 'node:zlib';
import { JoinRequest, SignalRequest, SignalResponse, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { rewriteServerCandidate, rewriteServerSdp, stripSdpCandidates, type PortRewrite } from './candidate-rewrite.ts';

/** What the proxy does with one frame: forward these bytes, or drop the frame. */
export type Rewritten = Uint8Array | null;

/** A server → client frame, rewritten. */
export function rewriteServerMessage(bytes: Uint8Array, rewrite: PortRewrite): Rewritten {
  let msg: SignalResponse;
  try {
    msg = SignalResponse.fromBinary(bytes);
  } catch {
    return bytes;
  }
  const m = msg.message;
  if (m.case === 'trickle') {
    const init = JSON.parse(m.value.candidateInit) as { candidate?: string };
    if (init.candidate) {
      const line = rewriteServerCandidate(init.candidate, rewrite);
      if (line === null) return null;
      init.candidate = line;
      m.value.candidateInit = JSON.stringify(init);
    }
    return msg.toBinary();
  }
  if (m.case === 'offer' || m.case === 'answer') {
    m.value.sdp = rewriteServerSdp(m.value.sdp, rewrite);
    return msg.toBinary();
  }
  return bytes;
}

/** A client → server frame, rewritten. */
export function rewriteClientMessage(bytes: Uint8Array): Rewritten {
  let msg: SignalRequest;
  try {
    msg = SignalRequest.fromBinary(bytes);
  } catch {
    return bytes;
  }
  const m = msg.message;
  if (m.case === 'trickle') return null;
  if (m.case === 'offer' || m.case === 'answer') {
    m.value.sdp = stripSdpCandidates(m.value.sdp);
    return msg.toBinary();
  }
  return bytes;
}

const fromBase64Url = (s: string): Buffer => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
const toBase64Url = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** The `join_request` query value of a `/rtc/v1` connect, with the publisher offer's candidates removed. */
export function rewriteJoinRequestParam(value: string): string {
  const wrapped = WrappedJoinRequest.fromBinary(fromBase64Url(value));
  const raw = wrapped.compression === WrappedJoinRequest_Compression.GZIP ? gunzipSync(wrapped.joinRequest) : wrapped.joinRequest;
  const join = JoinRequest.fromBinary(raw);
  if (!join.publisherOffer) return value;
  join.publisherOffer.sdp = stripSdpCandidates(join.publisherOffer.sdp);
  const out = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.NONE, joinRequest: join.toBinary() });
  return toBase64Url(out.toBinary());
}

/** A request path+query with its join_request (if any) rewritten; everything else byte-for-byte. */
export function rewriteConnectPath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return pathAndQuery;
  const params = pathAndQuery
    .slice(q + 1)
    .split('&')
    .map((kv) => {
      if (!kv.startsWith('join_request=')) return kv;
      const value = decodeURIComponent(kv.slice('join_request='.length));
      return `join_request=${encodeURIComponent(rewriteJoinRequestParam(value))}`;
    });
  return `${pathAndQuery.slice(0, q)}?${params.join('&')}`;
}
