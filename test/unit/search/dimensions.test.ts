/**
 * Each dimension moves exactly its knob, gates what its load measures, and keeps the rest of the
 * profile valid and short: every step is a real run that must fit a search of minutes.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../lib/profiles.ts';
import { validateSfuLoad } from '../../../scripts/run/media/room-plan.ts';
import { DIMENSIONS, MAX_WS_VUS, STEP_STEADY_SEC, STEP_JOINS_PER_SEC } from '../../../scripts/search/dimensions.ts';
import { parseSearchFlags } from '../../../scripts/search/options.ts';
import { UsageError } from '../../../scripts/exit-codes.ts';
import { websocketVUs } from '../../../lib/k6/ramp.ts';
import { wsMeetingCapacity } from '../../../lib/gomeet/plan.ts';

const smoke = PROFILES.smoke;

describe('connections', () => {
  const d = DIMENSIONS.connections;

  it('sets the sessions held, at a fixed join rate, in meetings as full as the base profile’s', () => {
    for (const load of [500, 2000, 8000, 20_000]) {
      const p = d.apply(smoke, load);
      expect(p.websocket.connections).toBe(load);
      expect(load / p.websocket.rampSec).toBeLessThanOrEqual(STEP_JOINS_PER_SEC);
      expect(p.websocket.holdSec).toBe(STEP_STEADY_SEC);
      expect(wsMeetingCapacity(p)).toBeLessThanOrEqual(wsMeetingCapacity(smoke));
      expect(websocketVUs(p.websocket.connections, p.websocket.connectionsPerVU)).toBeLessThanOrEqual(MAX_WS_VUS);
      // The API beside it runs at the base rate for at least as long as sessions are held.
      expect(p.api.ratePerSec).toBe(smoke.api.ratePerSec);
      expect(p.api.rampSec + p.api.steadySec).toBeGreaterThanOrEqual(p.websocket.rampSec + p.websocket.holdSec);
      expect(p.gates).toEqual(['ws_connections', 'ws_connect_success_pct', 'api_p95_ms', 'api_error_rate_pct']);
    }
  });

  it('holds the sessions for the steady state asked', () => {
    expect(d.apply(smoke, 500, 45).websocket.holdSec).toBe(45);
  });

  it('leaves the base profile alone', () => {
    const before = JSON.stringify(smoke);
    d.apply(smoke, 4000);
    expect(JSON.stringify(smoke)).toBe(before);
  });
});

describe('api-rps', () => {
  const d = DIMENSIONS['api-rps'];

  it('sets the open-model rate with VUs to hold it at the critical latency, the base sessions beside it', () => {
    const p = d.apply(smoke, 200);
    expect(p.api.ratePerSec).toBe(200);
    // At 500 ms (the critical), 200/s needs 100 VUs in flight; 3× the rate leaves room.
    expect(p.api.maxVUs).toBeGreaterThanOrEqual(200 * 0.5);
    expect(p.api.preAllocatedVUs).toBeLessThanOrEqual(p.api.maxVUs);
    expect(p.websocket.connections).toBe(smoke.websocket.connections);
    expect(p.websocket.rampSec + p.websocket.holdSec).toBeGreaterThanOrEqual(p.api.rampSec + p.api.steadySec - 1);
    expect(p.gates).toContain('api_p95_ms');
  });
});

describe('SFU dimensions', () => {
  it('participants-per-room fills one room, the extra participants bot subscribers, valid for the media step', () => {
    const d = DIMENSIONS['participants-per-room'];
    const min = d.min(smoke);
    for (const load of [min, 10, 40, 60]) {
      const p = d.apply(smoke, load);
      expect(p.sfu.rooms).toBe(1);
      expect(p.sfu.participantsPerRoom).toBe(load);
      expect(validateSfuLoad(p.sfu)).toBeNull();
      expect(p.gates).toEqual(['video_latency_ms', 'sfu_room_bandwidth_gbps', 'sfu_join_success_pct', 'sfu_join_p95_ms']);
    }
    expect(() => parseSearchFlags({ dimension: 'participants-per-room', start: String(min - 1) })).toThrow(UsageError);
  });

  it('rooms multiplies small rooms, each valid for the media step', () => {
    const d = DIMENSIONS.rooms;
    for (const load of [1, 3]) {
      const p = d.apply(smoke, load);
      expect(p.sfu.rooms).toBe(load);
      expect(validateSfuLoad(p.sfu)).toBeNull();
    }
  });
});

describe('search flags', () => {
  it('take the dimension’s defaults and resolve the output directory', () => {
    const o = parseSearchFlags({ dimension: 'connections' }, '/tmp/x');
    expect(o.plan).toMatchObject({ start: 500, step: 500, max: 8000, stepUp: 'doubling', maxRuns: 12, budgetSec: 1800 });
    expect(o.outDir).toMatch(/^\/tmp\/x\/runs\/\d{8}-\d{6}-search-connections-[0-9a-f]{4}$/);
    expect(o.targetFile).toBeUndefined();
  });

  it('take --rows as the rows that decide, in the table’s order', () => {
    expect(parseSearchFlags({ dimension: 'connections', rows: 'ws_connect_success_pct, ws_connections' }).gates).toEqual(['ws_connections', 'ws_connect_success_pct']);
    expect(parseSearchFlags({ dimension: 'api-rps' }).gates).toEqual(DIMENSIONS['api-rps'].gates);
    expect(parseSearchFlags({ dimension: 'connections', steadySec: '45' }).steadySec).toBe(45);
  });

  it('refuse bad input with one line naming the flag (exit 2 before anything starts)', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{}, /--dimension is required/],
      [{ dimension: 'bandwidth' }, /unknown dimension 'bandwidth'/],
      [{ dimension: 'connections', start: '1.5' }, /--start must be a whole number/],
      [{ dimension: 'connections', start: '-3' }, /--start must be a whole number/],
      [{ dimension: 'connections', start: '900', max: '800' }, /--max \(800\) must be ≥ --start \(900\)/],
      [{ dimension: 'connections', stepUp: 'tripling' }, /--step-up must be/],
      [{ dimension: 'connections', budgetMin: '0' }, /--budget-min must be minutes/],
      [{ dimension: 'connections', profile: 'huge' }, /unknown profile 'huge'/],
      [{ dimension: 'connections', step: '1', max: '100000' }, /more than 1000 loads/],
      [{ dimension: 'connections', rows: 'ws_connections,latency' }, /--rows: unknown row latency/],
      [{ dimension: 'connections', rows: ' , ' }, /--rows needs at least one row id/],
      [{ dimension: 'connections', steadySec: '0' }, /--steady-sec must be a whole number/],
    ];
    for (const [flags, message] of bad) {
      expect(() => parseSearchFlags(flags)).toThrow(UsageError);
      expect(() => parseSearchFlags(flags)).toThrow(message);
    }
  });
});
