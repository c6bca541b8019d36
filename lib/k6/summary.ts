/**
 * handleSummary: k6 does load, Node does judgement — so k6 only writes its raw summary data as JSON
 * to GOMEET_SUMMARY_PATH (no text summary; Node prints the verdict table).
 */
import { summaryPath } from './plan.ts';

export function writeSummary(data: Record<string, unknown>): Record<string, string> {
  // k6 copies setup()'s return value into the summary. Ours holds only meeting ids, but the summary
  // is a file that travels (CI artifacts), so nothing a script returned goes into it.
  delete data.setup_data;
  const path = summaryPath();
  if (!path) return { stderr: 'GOMEET_SUMMARY_PATH is not set: no summary written\n' };
  return { [path]: JSON.stringify(data) };
}
