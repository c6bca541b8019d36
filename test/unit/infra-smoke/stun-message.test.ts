// STUN codec and MESSAGE-INTEGRITY against RFC 5769's test vectors (bytes as the RFC prints them,
// not produced by this code), plus what the TURN client relies on: round trips, framing, refusals.
import { describe, expect, it } from 'vitest';
import { Attr, MAGIC_COOKIE, attribute, decode, encode, errorCode, frameLength, integrityValid, longTermKey, textAttr, uint32Attr, xorAddress } from '../../../infra-smoke/turn/stun-message.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 5769 §2.2: IPv4 response, short-term credential (key = the password), with FINGERPRINT after it.
const IPV4_RESPONSE = hex(`
  0101 003c 2112a442 b7e7a701 bc34d686 fa87dfae
  8022 000b 74657374 20766563 746f7220
  0020 0008 0001a147 e112a643
  0008 0014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
  8028 0004 c07d4c96`);
// RFC 5769 §2.3: the same over IPv6.
const IPV6_RESPONSE = hex(`
  0101 0048 2112a442 b7e7a701 bc34d686 fa87dfae
  8022 000b 74657374 20766563 746f7220
  0020 0014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
  0008 0014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
  8028 0004 c8fb0b4c`);
const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';

// RFC 5769 §2.4: request with long-term authentication (username マトリックス, realm example.org,
// password "The<U+00AD>M<U+00AA>tr<U+2168>", which SASLprep makes "TheMatrIX").
const LONG_TERM_REQUEST = hex(`
  0001 0060 2112a442 78ad3433 c6ad72c0 29da412e
  0006 0012 e3839ee3 8388e383 aae38383 e382afe3 82b90000
  0015 001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341
  0014 000b 6578616d 706c652e 6f726700
  0008 0014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666`);

describe('RFC 5769 vectors', () => {
  it('decodes the IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, integrity valid under the password', () => {
    const m = decode(IPV4_RESPONSE);
    expect(m.type).toBe(0x0101);
    expect(xorAddress(attribute(m, Attr.xorMappedAddress)!, m.transactionId)).toBe('192.0.2.1:32853');
    expect(attribute(m, Attr.software)!.toString()).toBe('test vector'); // 11 bytes; the RFC pads with a space
    expect(integrityValid(IPV4_RESPONSE, Buffer.from(SHORT_TERM_PASSWORD))).toBe(true);
    expect(integrityValid(IPV4_RESPONSE, Buffer.from('wrong'))).toBe(false);
  });

  it('decodes the IPv6 response: [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const m = decode(IPV6_RESPONSE);
    expect(xorAddress(attribute(m, Attr.xorMappedAddress)!, m.transactionId)).toBe('[2001:db8:1234:5678:11:2233:4455:6677]:32853');
    expect(integrityValid(IPV6_RESPONSE, Buffer.from(SHORT_TERM_PASSWORD))).toBe(true);
  });

  it('signs the long-term request exactly as the RFC does: same bytes from the same attributes', () => {
    const m = decode(LONG_TERM_REQUEST);
    const key = longTermKey('\u30de\u30c8\u30ea\u30c3\u30af\u30b9', 'example.org', 'TheMatrIX');
    expect(integrityValid(LONG_TERM_REQUEST, key)).toBe(true);
    const attrs = m.attributes.filter((a) => a.type !== Attr.messageIntegrity);
    expect(encode({ type: m.type, transactionId: m.transactionId, attributes: attrs }, key).equals(LONG_TERM_REQUEST)).toBe(true);
  });
});

describe('codec', () => {
  it('round-trips attributes with padding and counts MESSAGE-INTEGRITY in the length', () => {
    const tid = Buffer.alloc(12, 7);
    const key = Buffer.from('k');
    const raw = encode({ type: 0x0003, transactionId: tid, attributes: [textAttr(Attr.username, 'abcde'), uint32Attr(Attr.lifetime, 600)] }, key);
    expect(raw.readUInt32BE(4)).toBe(MAGIC_COOKIE);
    expect(raw.readUInt16BE(2)).toBe(raw.length - 20);
    expect(frameLength(raw)).toBe(raw.length);
    expect(frameLength(raw.subarray(0, 10))).toBeNull();
    const m = decode(raw);
    expect(attribute(m, Attr.username)!.toString()).toBe('abcde');
    expect(attribute(m, Attr.lifetime)!.readUInt32BE(0)).toBe(600);
    expect(integrityValid(raw, key)).toBe(true);
    const tampered = Buffer.from(raw);
    tampered.writeUInt8(tampered.readUInt8(25) ^ 1, 25);
    expect(integrityValid(tampered, key)).toBe(false);
  });

  it('reads ERROR-CODE as class × 100 + number', () => {
    const value = Buffer.concat([Buffer.from([0, 0, 4, 38]), Buffer.from('Stale Nonce')]);
    const m = decode(encode({ type: 0x0113, transactionId: Buffer.alloc(12), attributes: [{ type: Attr.errorCode, value }] }));
    expect(errorCode(m)).toEqual({ code: 438, reason: 'Stale Nonce' });
  });

  it('refuses what is not STUN', () => {
    expect(() => decode(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(/not STUN/);
    const truncated = Buffer.from(IPV4_RESPONSE.subarray(0, 40));
    expect(() => decode(truncated)).toThrow(/body length/);
  });
});
