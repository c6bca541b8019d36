/**
 * The suite's exit codes — what a CI system reads.
 *   0 GO (and WARN unless --gate strict) · 1 NO_GO · 2 usage/config error or unreachable target
 *   (no load was sent) · 3 INCONCLUSIVE (missing data or a saturated load generator).
 */
export const EXIT = {
  go: 0,
  noGo: 1,
  usage: 2,
  inconclusive: 3,
} as const;

/** Bad input or an unusable target: the CLI prints `error: <message>` on one line and exits 2.
 *  Thrown only before any load is sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The one stderr line for a UsageError: control characters from operator text (a flag value, a
 *  file name) are escaped so the message stays one line whatever was typed. */
export function usageLine(err: UsageError): string {
  return `error: ${err.message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1))}`;
}
