// The production-safety decision (scripts/run/production-guard.ts) as a pure function: which
// target/profile/flag combinations may send load, and what the refusal says to add.
import { describe, expect, it } from 'vitest';
import { PROFILES, type Profile } from '../../../lib/profiles.ts';
import { DIMENSIONS } from '../../../scripts/search/dimensions.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { checkProductionSafety, loadSize, overProductionCap, PRODUCTION_CAP } from '../../../scripts/run/production-guard.ts';

const prod = { name: 'gomeet-prod', environment: 'production' as const };
const staging = { name: 'gomeet-staging', environment: 'staging' as const };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a refusal');
}

describe('checkProductionSafety', () => {
  it('lets a non-production target through with any profile and no flags', () => {
    for (const p of Object.values(PROFILES)) expect(checkProductionSafety(staging, p, {})).toBeUndefined();
    expect(checkProductionSafety({ name: 'l', environment: 'local' }, PROFILES.full, {})).toBeUndefined();
  });

  it('refuses production without --confirm-production, even for smoke, and says what to add', () => {
    const msg = refusal(() => checkProductionSafety(prod, PROFILES.smoke, {}));
    expect(msg).toMatch(/gomeet-prod.*production/);
    expect(msg).toContain('add --confirm-production');
    // the cap flag alone is not a confirmation
    expect(refusal(() => checkProductionSafety(prod, PROFILES.smoke, { liftProductionCap: true }))).toContain('--confirm-production');
  });

  it('allows smoke on production once confirmed', () => {
    expect(checkProductionSafety(prod, PROFILES.smoke, { confirmProduction: true })).toMatch(/within the production cap/);
  });

  it('caps a confirmed production run: larger profiles are refused with the parts over the cap and the flag to lift it', () => {
    for (const name of ['nightly', 'release', 'full'] as const) {
      const msg = refusal(() => checkProductionSafety(prod, PROFILES[name], { confirmProduction: true }));
      expect(msg).toContain(`profile '${name}'`);
      expect(msg).toMatch(/signaling sessions \d+ > 500/);
      expect(msg).toContain('add --lift-production-cap');
    }
  });

  it('lets any profile through with --confirm-production --lift-production-cap', () => {
    expect(checkProductionSafety(prod, PROFILES.full, { confirmProduction: true, liftProductionCap: true })).toMatch(/cap lifted/);
  });

  it('refuses --lift-production-cap without --confirm-production on any target (a typo must not go unnoticed)', () => {
    expect(refusal(() => checkProductionSafety(staging, PROFILES.smoke, { liftProductionCap: true }))).toMatch(/only applies together with --confirm-production/);
  });

  it('catches a smoke profile made longer or larger in one part only', () => {
    const longer: Profile = { ...PROFILES.smoke, api: { ...PROFILES.smoke.api, steadySec: 3600 } };
    expect(overProductionCap(longer)).toEqual([expect.stringMatching(/^seconds \d+ > /)]);
    const faster: Profile = { ...PROFILES.smoke, api: { ...PROFILES.smoke.api, ratePerSec: PROFILES.smoke.api.ratePerSec + 1 } };
    expect(overProductionCap(faster)).toEqual([`API req/s ${PRODUCTION_CAP.apiRatePerSec + 1} > ${PRODUCTION_CAP.apiRatePerSec}`]);
    expect(overProductionCap(PROFILES.smoke)).toEqual([]);
  });

  it('judges a search by its largest step: the default connections search is over the cap, one capped at smoke size is not', () => {
    const d = DIMENSIONS.connections;
    const msg = refusal(() => checkProductionSafety(prod, d.apply(PROFILES.smoke, d.defaults.max), { confirmProduction: true }, 'search'));
    expect(msg).toContain("the search's largest step");
    expect(checkProductionSafety(prod, d.apply(PROFILES.smoke, PRODUCTION_CAP.wsSessions), { confirmProduction: true }, 'search')).toBeDefined();
  });

  it('states the cap as the smoke profile measures', () => {
    expect(PRODUCTION_CAP).toEqual(loadSize(PROFILES.smoke));
    expect(PRODUCTION_CAP.wsSessions).toBe(PROFILES.smoke.websocket.connections);
  });
});
