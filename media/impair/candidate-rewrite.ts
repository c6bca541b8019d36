/**
 * Rewriting ICE candidates so a client's media takes a detour: the SFU's UDP candidate is made to
 * point at a relay's port, its TCP candidates are withheld (they would bypass the relay), and the
 * client's own candidates are withheld from the SFU — so the SFU only learns the relay's address, as
 * a peer-reflexive candidate, from the checks that come through it, and never checks a direct path.
 *
 * Pure string work on RFC 8839 candidate attributes: `candidate:<foundation> <component> <transport>
 * <priority> <address> <port> typ <type> …`, with or without the SDP's `a=` prefix.
 */

export interface PortRewrite {
  /** UDP port the SFU announces. */
  fromPort: number;
  /** Port clients are told instead (the relay's). */
  toPort: number;
}

const CANDIDATE = /^(a=)?candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+)( typ .*)$/i;

/**
 * An SFU candidate as the client should see it: the UDP candidate on `fromPort` with `toPort`,
 * anything that is not UDP dropped (null). Other UDP ports pass unchanged. A line that is not a
 * candidate passes unchanged.
 */
export function rewriteServerCandidate(line: string, rewrite: PortRewrite): string | null {
  const m = CANDIDATE.exec(line.trim());
  if (!m) return line;
  const [, prefix = '', foundation, component, transport, priority, address, port, rest] = m;
  if ((transport ?? '').toLowerCase() !== 'udp') return null;
  const newPort = Number(port) === rewrite.fromPort ? rewrite.toPort : Number(port);
  return `${prefix}candidate:${foundation} ${component} ${transport} ${priority} ${address} ${newPort}${rest}`;
}

/** Applies `fn` to every `a=candidate:` line of an SDP; a null result removes the line. */
export function mapSdpCandidates(sdp: string, fn: (line: string) => string | null): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/\r?\n/)
    .flatMap((line) => {
      if (!line.startsWith('a=candidate:')) return [line];
      const out = fn(line);
      return out === null ? [] : [out];
    })
    .join(eol);
}

/** The SFU's SDP as the client should see it. */
export function rewriteServerSdp(sdp: string, rewrite: PortRewrite): string {
  return mapSdpCandidates(sdp, (line) => rewriteServerCandidate(line, rewrite));
}

/** The client's SDP as the SFU should see it: without candidates. */
export function stripSdpCandidates(sdp: string): string {
  return mapSdpCandidates(sdp, () => null);
}
