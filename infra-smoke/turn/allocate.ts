/**
 * A real TURN Allocate with long-term credentials, then its release:
 *
 *  1. Allocate (REQUESTED-TRANSPORT udp) without credentials → 401 carrying REALM and NONCE
 *  2. Allocate again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY → success with
 *     XOR-RELAYED-ADDRESS (a 438 Stale Nonce is retried once with the new nonce)
 *  3. the success response's own MESSAGE-INTEGRITY is checked: the server holds the same key
 *  4. Refresh with LIFETIME 0 frees the relay (best effort) so a check leaves nothing allocated
 *
 * Nothing is relayed: no permission, no channel, no data — the allocation is the proof.
 */
import {
  Attr,
  MessageType,
  TRANSPORT_UDP,
  attribute,
  decode,
  encode,
  errorCode,
  integrityValid,
  longTermKey,
  newTransactionId,
  requestedTransport,
  textAttr,
  uint32Attr,
  xorAddress,
  type StunAttribute,
  type StunMessage,
} from './stun-message.ts';
import { openTransport, type StunTransport } from './transport.ts';
import type { TurnAddress } from './turn-url.ts';

export interface AllocationResult {
  /** ip:port the server relays from. */
  relayedAddress: string;
  /** ip:port the server saw the request come from (when it says). */
  mappedAddress?: string;
  /** Seconds the allocation would have lived. */
  lifetimeSec?: number;
  realm: string;
  /** Whether the Refresh(0) that frees the relay was acknowledged. */
  released: boolean;
}

/** The server refused or answered something unexpected; `code` is the STUN error code when there is one. */
export class TurnError extends Error {
  override name = 'TurnError';
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

const MAX_NONCE_RETRIES = 1;

async function request(t: StunTransport, type: number, attributes: StunAttribute[], signal: AbortSignal, key?: Buffer): Promise<{ msg: StunMessage; raw: Buffer }> {
  const transactionId = newTransactionId();
  const raw = await t.transact(encode({ type, transactionId, attributes }, key), transactionId, signal);
  return { msg: decode(raw), raw };
}

function describeRefusal(msg: StunMessage): TurnError {
  const err = errorCode(msg);
  return err ? new TurnError(`${err.code} ${err.reason}`.trim(), err.code) : new TurnError(`unexpected message type 0x${msg.type.toString(16)}`);
}

export async function allocate(address: TurnAddress, username: string, password: string, signal: AbortSignal): Promise<AllocationResult> {
  const t = await openTransport(address, signal);
  try {
    const transportAttr = requestedTransport(TRANSPORT_UDP);
    const first = await request(t, MessageType.allocateRequest, [transportAttr], signal);
    if (first.msg.type === MessageType.allocateSuccess) {
      throw new TurnError('the server allocated without credentials: it does not authenticate (expected 401)');
    }
    if (errorCode(first.msg)?.code !== 401) throw describeRefusal(first.msg);
    const realm = attribute(first.msg, Attr.realm)?.toString('utf8');
    let nonce = attribute(first.msg, Attr.nonce)?.toString('utf8');
    if (realm === undefined || nonce === undefined) throw new TurnError('401 without REALM or NONCE: not a long-term-credential TURN server');
    const key = longTermKey(username, realm, password);
    const auth = (n: string) => [textAttr(Attr.username, username), textAttr(Attr.realm, realm), textAttr(Attr.nonce, n)];

    let answer = await request(t, MessageType.allocateRequest, [transportAttr, ...auth(nonce)], signal, key);
    for (let retry = 0; retry < MAX_NONCE_RETRIES && errorCode(answer.msg)?.code === 438; retry++) {
      nonce = attribute(answer.msg, Attr.nonce)?.toString('utf8') ?? nonce;
      answer = await request(t, MessageType.allocateRequest, [transportAttr, ...auth(nonce)], signal, key);
    }
    if (answer.msg.type !== MessageType.allocateSuccess) throw describeRefusal(answer.msg);
    if (!integrityValid(answer.raw, key)) throw new TurnError('allocation answered without a valid MESSAGE-INTEGRITY');
    const relayed = attribute(answer.msg, Attr.xorRelayedAddress);
    if (!relayed) throw new TurnError('allocation answered without XOR-RELAYED-ADDRESS');
    const mapped = attribute(answer.msg, Attr.xorMappedAddress);
    const lifetime = attribute(answer.msg, Attr.lifetime);

    let released = false;
    try {
      const refresh = await request(t, MessageType.refreshRequest, [uint32Attr(Attr.lifetime, 0), ...auth(nonce)], signal, key);
      released = refresh.msg.type === MessageType.refreshSuccess;
    } catch {
      // Unreleased, the allocation simply expires (its lifetime); the check's verdict stands.
    }
    return {
      relayedAddress: xorAddress(relayed, answer.msg.transactionId),
      mappedAddress: mapped ? xorAddress(mapped, answer.msg.transactionId) : undefined,
      lifetimeSec: lifetime?.readUInt32BE(0),
      realm,
      released,
    };
  } finally {
    t.close();
  }
}
