/**
 * TURN: every configured TURN URI allocates a relay with time-limited REST credentials minted from
 * the shared secret (target.turn.secretEnv) — what a client of the seed's TURN service is handed.
 * A real Allocate (401 → credentials → relayed address, the answer's integrity checked), then the
 * allocation is released. Required when configured: media behind NAT depends on it.
 */
import type { Target } from '../../lib/config/target.ts';
import { describeError, type Check } from '../check.ts';
import { allocate, TurnError } from '../turn/allocate.ts';
import { turnRestCredentials } from '../turn/rest-credentials.ts';
import { parseTurnUrl } from '../turn/turn-url.ts';

export const TURN_CHECK_USER = 'gomeet-capacity-preflight';

export function turnCheck(target: Target, env: NodeJS.ProcessEnv): Check {
  const turn = target.turn;
  return {
    name: 'turn allocate',
    required: turn !== undefined,
    async run(signal) {
      const expected = 'every TURN URI allocates a relay with REST credentials';
      if (!turn) {
        return { status: 'skip', observed: 'no turn in the target', expected, fix: 'add turn: { urls: [turn:host:3478?transport=udp], secretEnv: … } to check it' };
      }
      const secret = env[turn.secretEnv];
      if (!secret) {
        return { status: 'fail', observed: `${turn.secretEnv} is not set`, expected, fix: `export ${turn.secretEnv}=… (the TURN server's static-auth-secret)` };
      }
      const outcomes = await Promise.all(
        turn.urls.map(async (url) => {
          const creds = turnRestCredentials(secret, TURN_CHECK_USER, turn.credentialTtlSec);
          try {
            const a = await allocate(parseTurnUrl(url), creds.username, creds.password, signal);
            return { url, ok: true, text: `${url} → relay ${a.relayedAddress}${a.released ? '' : ' (not released; expires by itself)'}` };
          } catch (err) {
            const code = err instanceof TurnError ? err.code : undefined;
            return { url, ok: false, code, text: `${url}: ${describeError(err)}` };
          }
        }),
      );
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length === 0) return { status: 'pass', observed: outcomes.map((o) => o.text).join('; '), expected };
      const unauthorized = failed.some((o) => o.code === 401);
      return {
        status: 'fail',
        observed: failed.map((o) => o.text).join('; '),
        expected,
        fix: unauthorized
          ? `the server refuses the credentials: ${turn.secretEnv} must be its static-auth-secret (use-auth-secret), and its clock right`
          : 'is the TURN server up and the URI right (host, port, transport)? For the local stack: gomeet-capacity stack up',
      };
    },
  };
}
