/**
 * Reading a tool's version from what it prints. Pure, so the parsing is unit-tested against the
 * real outputs of the pinned builds.
 */
import type { GoToolPin } from './pins.ts';

/** The version the output names, normalised to Go's `v1.2.3` form; null when the output names none. */
export function parseToolVersion(pin: GoToolPin, output: string): string | null {
  const found = pin.versionPattern.exec(output)?.[1];
  if (!found) return null;
  return found.startsWith('v') ? found : `v${found}`;
}

/** True only when the output names exactly the pinned version (v2.2.0 ≠ v2.2.0-rc1 ≠ v2.2.1) and
 *  every line the pin requires (its extensions). */
export function isPinnedVersion(pin: GoToolPin, output: string): boolean {
  return parseToolVersion(pin, output) === pin.version && (pin.requiredInVersion ?? []).every((re) => re.test(output));
}
