/**
 * TURN server URIs (RFC 7065): `turn:host[:port][?transport=udp|tcp]` and `turns:host[:port]`
 * (TLS over TCP). Default ports 3478 / 5349; default transport udp for turn:, tcp for turns:.
 */
export interface TurnAddress {
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
}

const URI = /^(turns?):(\[[0-9a-fA-F:.]+\]|[^:?/\s]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/;

/** The address and transport of a TURN URI; throws naming what is wrong. */
export function parseTurnUrl(url: string): TurnAddress {
  const m = URI.exec(url.trim());
  if (!m) throw new Error(`not a TURN URI (turn:host[:port][?transport=udp|tcp] or turns:host[:port]): ${url}`);
  const [, scheme, rawHost, rawPort, transport] = m;
  const secure = scheme === 'turns';
  if (secure && transport === 'udp') throw new Error(`turns: runs over TCP (TLS), not udp: ${url}`);
  const port = rawPort ? Number(rawPort) : secure ? 5349 : 3478;
  if (port < 1 || port > 65535) throw new Error(`TURN port out of range: ${url}`);
  const host = rawHost!.replace(/^\[|\]$/g, '');
  return { host, port, transport: secure ? 'tls' : transport === 'tcp' ? 'tcp' : 'udp' };
}

export function isTurnUrl(url: string): boolean {
  try {
    parseTurnUrl(url);
    return true;
  } catch {
    return false;
  }
}
