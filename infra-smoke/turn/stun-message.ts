/**
 * STUN messages (RFC 5389) with the TURN attributes (RFC 5766) an Allocate needs: encode, decode,
 * and the long-term credential's MESSAGE-INTEGRITY (HMAC-SHA1 keyed by MD5(username:realm:password)).
 * Only what a pre-flight Allocate uses — not a general STUN stack.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const MAGIC_COOKIE = 0x2112a442;
const HEADER_BYTES = 20;
const INTEGRITY_BYTES = 20;

/** Method | class bits of the message types used here. */
export const MessageType = {
  allocateRequest: 0x0003,
  allocateSuccess: 0x0103,
  allocateError: 0x0113,
  refreshRequest: 0x0004,
  refreshSuccess: 0x0104,
  refreshError: 0x0114,
} as const;

export const Attr = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
  software: 0x8022,
  fingerprint: 0x8028,
} as const;

/** IANA protocol number carried by REQUESTED-TRANSPORT: a UDP relay. */
export const TRANSPORT_UDP = 17;

export interface StunAttribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: StunAttribute[];
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/** The long-term credential key (RFC 5389 §15.4). */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest();
}

function attributeBytes(a: StunAttribute): Buffer {
  const padded = Math.ceil(a.value.length / 4) * 4;
  const out = Buffer.alloc(4 + padded);
  out.writeUInt16BE(a.type, 0);
  out.writeUInt16BE(a.value.length, 2);
  a.value.copy(out, 4);
  return out;
}

function header(type: number, bodyLength: number, transactionId: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(bodyLength, 2);
  h.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(h, 8);
  return h;
}

/** The message on the wire; with `key`, MESSAGE-INTEGRITY is appended (its length counted in the header). */
export function encode(m: StunMessage, key?: Buffer): Buffer {
  const body = Buffer.concat(m.attributes.map(attributeBytes));
  if (!key) return Buffer.concat([header(m.type, body.length, m.transactionId), body]);
  const lengthWithIntegrity = body.length + 4 + INTEGRITY_BYTES;
  const signed = Buffer.concat([header(m.type, lengthWithIntegrity, m.transactionId), body]);
  const mac = createHmac('sha1', key).update(signed).digest();
  return Buffer.concat([signed, attributeBytes({ type: Attr.messageIntegrity, value: mac })]);
}

/** Bytes a complete message on a stream takes (header + body), or null while the header is incomplete. */
export function frameLength(buf: Buffer): number | null {
  return buf.length < HEADER_BYTES ? null : HEADER_BYTES + buf.readUInt16BE(2);
}

/** Parses one message; throws on anything that is not STUN (wrong cookie, truncated, misaligned). */
export function decode(buf: Buffer): StunMessage {
  if (buf.length < HEADER_BYTES) throw new Error(`not STUN: ${buf.length} bytes`);
  if (buf.readUInt32BE(4) !== MAGIC_COOKIE) throw new Error('not STUN: no magic cookie');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER_BYTES + length > buf.length) throw new Error(`not STUN: body length ${length}`);
  const attributes: StunAttribute[] = [];
  let at = HEADER_BYTES;
  const end = HEADER_BYTES + length;
  while (at + 4 <= end) {
    const type = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    if (at + 4 + len > end) throw new Error(`not STUN: attribute 0x${type.toString(16)} overruns the message`);
    attributes.push({ type, value: buf.subarray(at + 4, at + 4 + len) });
    at += 4 + Math.ceil(len / 4) * 4;
  }
  return { type: buf.readUInt16BE(0), transactionId: Buffer.from(buf.subarray(8, 20)), attributes };
}

export function attribute(m: StunMessage, type: number): Buffer | undefined {
  return m.attributes.find((a) => a.type === type)?.value;
}

/**
 * True when `raw`'s MESSAGE-INTEGRITY is the HMAC of what precedes it under `key` — the server
 * proves it holds the same credential. False when absent or wrong.
 */
export function integrityValid(raw: Buffer, key: Buffer): boolean {
  const m = decode(raw);
  let at = HEADER_BYTES;
  for (const a of m.attributes) {
    if (a.type === Attr.messageIntegrity) {
      const signed = Buffer.from(raw.subarray(0, at));
      signed.writeUInt16BE(at - HEADER_BYTES + 4 + INTEGRITY_BYTES, 2);
      const mac = createHmac('sha1', key).update(signed).digest();
      return a.value.length === INTEGRITY_BYTES && timingSafeEqual(mac, a.value);
    }
    at += 4 + Math.ceil(a.value.length / 4) * 4;
  }
  return false;
}

/** ERROR-CODE as `{code, reason}` (class × 100 + number). */
export function errorCode(m: StunMessage): { code: number; reason: string } | undefined {
  const v = attribute(m, Attr.errorCode);
  if (!v || v.length < 4) return undefined;
  return { code: (v[2]! & 0x7) * 100 + v[3]!, reason: v.subarray(4).toString('utf8') };
}

/** An XOR-*-ADDRESS attribute as `ip:port` (IPv4 and IPv6). */
export function xorAddress(value: Buffer, transactionId: Buffer): string {
  const family = value[1];
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  if (family === 0x01) {
    const ip = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
    return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}:${port}`;
  }
  const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
  const bytes = Buffer.from(value.subarray(4, 20).map((b, i) => b ^ mask[i]!));
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return `[${groups.join(':')}]:${port}`;
}

export function uint32Attr(type: number, n: number): StunAttribute {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(n, 0);
  return { type, value };
}

export function textAttr(type: number, text: string): StunAttribute {
  return { type, value: Buffer.from(text, 'utf8') };
}

/** REQUESTED-TRANSPORT: protocol number, then three reserved bytes. */
export function requestedTransport(protocol: number): StunAttribute {
  return { type: Attr.requestedTransport, value: Buffer.from([protocol, 0, 0, 0]) };
}
