/**
 * k6's progress output → one compact line. Without a terminal k6 prints, every second, a block
 *
 *   running (1m02.0s), 215/260 VUs, 1234 complete and 0 interrupted iterations
 *   api         [  57% ] 010/060 VUs  34.2s/1m00s  20.00 iters/s
 *   websocket   [  52% ] 200 VUs      34.2s/1m05s
 *
 * and, once, a header naming the planned length (`... 1m40s max duration (incl. graceful stop)`).
 * This keeps the newest block and renders `k6 62s/100s · VUs 215/260 · iterations 1234 done,
 * 0 interrupted · api 57% · websocket 52%`. Pure: unit-tested on k6's real output.
 */

export interface K6Progress {
  /** Seconds since the test started, as k6 counts them. */
  elapsedSec: number;
  /** The most the test can last including graceful stops (from the header); undefined until seen. */
  plannedSec?: number;
  activeVUs: number;
  maxVUs: number;
  completeIterations: number;
  interruptedIterations: number;
  /** Scenario name → percent done. */
  scenarios: Map<string, number>;
}

const RUNNING = /^running \(([^)]+)\), (\d+)\/(\d+) VUs, (\d+) complete and (\d+) interrupted iterations/;
const SCENARIO = /^(\S+)\s+(?:[✓✗]\s+)?\[\s*(\d+)%\s*\]/;
const MAX_DURATION = /, (\S+) max duration/;

/** k6's duration text (`1h2m03.5s`, `02.0s`, `35s`) in seconds; NaN if it is not one. */
export function parseK6Duration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Feeds k6's stdout lines in; `current` is the newest complete picture, if any. */
export class K6ProgressParser {
  current: K6Progress | undefined;
  private plannedSec: number | undefined;

  /** Returns true when the line was progress output (not worth showing on its own). */
  feed(line: string): boolean {
    const header = MAX_DURATION.exec(line);
    if (header && line.includes('scenario')) {
      const sec = parseK6Duration(header[1]!);
      if (Number.isFinite(sec)) this.plannedSec = sec;
      return false;
    }
    const running = RUNNING.exec(line);
    if (running) {
      this.current = {
        elapsedSec: parseK6Duration(running[1]!),
        plannedSec: this.plannedSec,
        activeVUs: Number(running[2]),
        maxVUs: Number(running[3]),
        completeIterations: Number(running[4]),
        interruptedIterations: Number(running[5]),
        scenarios: new Map(),
      };
      return true;
    }
    const scenario = SCENARIO.exec(line);
    if (scenario && this.current) {
      this.current.scenarios.set(scenario[1]!, Number(scenario[2]));
      return true;
    }
    return false;
  }
}

export function formatProgress(p: K6Progress): string {
  const time = p.plannedSec ? `${Math.round(p.elapsedSec)}s/${Math.round(p.plannedSec)}s` : `${Math.round(p.elapsedSec)}s`;
  const parts = [
    `k6 ${time}`,
    `VUs ${p.activeVUs}/${p.maxVUs}`,
    `iterations ${p.completeIterations} done, ${p.interruptedIterations} interrupted`,
    ...[...p.scenarios].map(([name, pct]) => `${name} ${pct}%`),
  ];
  return parts.join(' · ');
}
