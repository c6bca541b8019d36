/**
 * LiveKit answers, and knows our key pair: `GET /` says OK, and `GET /rtc/validate` accepts a token
 * minted here from the variables target.livekit names (what every bot and probe will present).
 * Finds the unreachable SFU and the wrong key or secret before any load, in one line each.
 * livekit-server echoes a rejected token in its answer: nothing it says is shown unredacted.
 */
import type { Target } from '../../lib/config/target.ts';
import { credentialsFromEnv, mintToken } from '../../lib/livekit/token.ts';
import { redactSecrets } from '../../media/probe/redact.ts';
import { describeError, type Check } from '../check.ts';

/** http(s)://host[:port][/path] of the target's LiveKit URL (which may be ws:// or wss://). */
export function livekitHttpBase(url: string): string {
  return url.trim().replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');
}

export function livekitCheck(target: Target, env: NodeJS.ProcessEnv, required: boolean): Check {
  const base = livekitHttpBase(target.livekit.url);
  const failed = required ? ('fail' as const) : ('warn' as const);
  return {
    name: 'livekit validate',
    required,
    async run(signal) {
      const expected = 'GET / is OK and /rtc/validate accepts a token minted with the target’s key pair';
      let creds;
      try {
        creds = credentialsFromEnv(target.livekit.apiKeyEnv, target.livekit.apiSecretEnv, env);
      } catch (err) {
        return { status: failed, observed: (err as Error).message, expected, fix: `export ${target.livekit.apiKeyEnv} and ${target.livekit.apiSecretEnv} (the server's key pair)` };
      }
      const clean = (text: string) => redactSecrets(text, [creds.apiSecret]).slice(0, 160);
      try {
        const root = await fetch(`${base}/`, { signal });
        const body = (await root.text()).trim();
        if (root.status !== 200 || body !== 'OK') {
          return { status: failed, observed: `${root.status} "${clean(body)}" from ${base}/`, expected, fix: 'is livekit.url the LiveKit server (its HTTP/WebSocket port)?' };
        }
        // A room of its own: validating never touches the run's rooms.
        const token = await mintToken(creds, { room: `preflight-${Date.now().toString(36)}`, identity: 'gomeet-capacity-preflight', canPublish: false, canSubscribe: false, ttlSec: 60 });
        const res = await fetch(`${base}/rtc/validate`, { headers: { Authorization: `Bearer ${token}` }, signal });
        const text = clean((await res.text()).trim());
        if (res.status === 200) return { status: 'pass', observed: `${base}: OK, token accepted`, expected };
        const fix =
          res.status === 401
            ? `the server does not accept tokens signed with ${target.livekit.apiKeyEnv}/${target.livekit.apiSecretEnv}: set them to its key pair`
            : 'check the LiveKit server’s log';
        return { status: failed, observed: `${res.status} from ${base}/rtc/validate: ${text}`, expected, fix };
      } catch (err) {
        return { status: failed, observed: `${base}: ${describeError(err)}`, expected, fix: 'is LiveKit up and livekit.url right? For the local stack: gomeet-capacity stack up' };
      }
    },
  };
}
