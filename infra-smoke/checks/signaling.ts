/** Every signaling URL completes a WebSocket handshake. (Authentication is proven by `api login`;
 *  the session protocol itself is exercised by the websocket scenario.) */
import WebSocket from 'ws';
import type { Target } from '../../lib/config/target.ts';
import { signalingUrls } from '../../lib/config/target.ts';
import { CHECK_TIMEOUT_MS, describeError, type Check } from '../check.ts';

function handshake(url: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: CHECK_TIMEOUT_MS });
    const abort = () => {
      ws.terminate();
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', abort, { once: true });
    ws.once('open', () => {
      signal.removeEventListener('abort', abort);
      ws.close(1000);
      resolve();
    });
    ws.once('error', (err) => {
      signal.removeEventListener('abort', abort);
      reject(err);
    });
  });
}

export function signalingHandshakeCheck(target: Target): Check {
  const urls = signalingUrls(target);
  return {
    name: 'signaling handshake',
    required: true,
    async run(signal) {
      const failures: string[] = [];
      await Promise.all(
        urls.map((url) => handshake(url, signal).catch((err) => failures.push(`${url}: ${describeError(err)}`))),
      );
      return failures.length === 0
        ? { status: 'pass', observed: `${urls.length} of ${urls.length} URLs upgraded`, expected: 'every URL upgrades' }
        : {
            status: 'fail',
            observed: failures.join('; '),
            expected: 'every URL upgrades',
            fix: 'is the signaling service up and signaling.url right?',
          };
    },
  };
}
