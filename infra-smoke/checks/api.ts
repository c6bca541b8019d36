/** The API answers /health, and the configured load-test credentials log in. */
import { API, loadTestUserEmail } from '../../lib/gomeet/contract.ts';
import type { Target } from '../../lib/config/target.ts';
import { describeError, type Check } from '../check.ts';

export function apiHealthCheck(target: Target): Check {
  const url = new URL(API.health, target.api.baseUrl).toString();
  return {
    name: 'api health',
    required: true,
    async run(signal) {
      try {
        const res = await fetch(url, { signal });
        const body = await res.text();
        return res.ok
          ? { status: 'pass', observed: `${res.status} from ${url}`, expected: '200' }
          : {
              status: 'fail',
              observed: `${res.status} from ${url}: ${body.slice(0, 120)}`,
              expected: '200',
              fix: 'the API reports an unhealthy dependency; check its logs',
            };
      } catch (err) {
        return {
          status: 'fail',
          observed: `${url}: ${describeError(err)}`,
          expected: '200',
          fix: 'is the API up and api.baseUrl right? For the local stack: gomeet-capacity stack up',
        };
      }
    },
  };
}

export function apiLoginCheck(target: Target, env: NodeJS.ProcessEnv): Check {
  const url = new URL(API.login, target.api.baseUrl).toString();
  const passwordEnv = target.auth.passwordEnv;
  return {
    name: 'api login',
    required: true,
    async run(signal) {
      const password = env[passwordEnv];
      if (!password) {
        return {
          status: 'fail',
          observed: `${passwordEnv} is not set`,
          expected: `the load-test password in ${passwordEnv}`,
          fix: `export ${passwordEnv}=… (never put it in the target file)`,
        };
      }
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: loadTestUserEmail(0), password }),
          signal,
        });
        return res.ok
          ? { status: 'pass', observed: `${res.status}: ${loadTestUserEmail(0)} logged in`, expected: '200' }
          : {
              status: 'fail',
              observed: `${res.status} for ${loadTestUserEmail(0)}`,
              expected: '200',
              fix: `the target rejects the load-test credentials: check ${passwordEnv} and that the loadtest-N users exist`,
            };
      } catch (err) {
        return { status: 'fail', observed: describeError(err), expected: '200', fix: 'is the API up?' };
      }
    },
  };
}
