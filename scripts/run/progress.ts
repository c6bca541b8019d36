/**
 * Progress lines for long steps: `[  12.3s] stack    postgres ready`. Plain lines (no spinners) so
 * CI logs and terminals read the same.
 */
const t0 = Date.now();

export function log(phase: string, message: string): void {
  const elapsed = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[${elapsed}s] ${phase.padEnd(9)} ${message}`);
}
