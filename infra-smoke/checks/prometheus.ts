/** Prometheus answers: the server-side rows (DB, Redis, CPU, memory) are read from it. */
import type { Target } from '../../lib/config/target.ts';
import { describeError, type Check } from '../check.ts';

export function prometheusCheck(target: Target, required: boolean): Check {
  const url = new URL('/-/ready', target.prometheus.url).toString();
  return {
    name: 'prometheus ready',
    required,
    async run(signal) {
      try {
        const res = await fetch(url, { signal });
        return res.ok
          ? { status: 'pass', observed: `${res.status} from ${url}`, expected: '200' }
          : { status: required ? 'fail' : 'warn', observed: `${res.status} from ${url}`, expected: '200', fix: 'check Prometheus' };
      } catch (err) {
        return {
          status: required ? 'fail' : 'warn',
          observed: `${url}: ${describeError(err)}`,
          expected: '200',
          fix: 'server-side rows will be INCONCLUSIVE; is prometheus.url right?',
        };
      }
    },
  };
}
