import { describe, expect, it } from 'vitest';
import { API_MIX, pickAction, type ApiAction } from '../../../lib/k6/api-mix.ts';

describe('api mix', () => {
  it('weights read as percentages and name each endpoint once', () => {
    expect(API_MIX.reduce((s, e) => s + e.weight, 0)).toBe(100);
    expect(new Set(API_MIX.map((e) => e.action)).size).toBe(API_MIX.length);
  });

  it('picks each action in proportion to its weight', () => {
    // A uniform grid over [0, 1) hits each action exactly weight % of the time.
    const steps = 10_000;
    const counts = new Map<ApiAction, number>();
    for (let i = 0; i < steps; i++) {
      const a = pickAction(i / steps);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    for (const { action, weight } of API_MIX) expect(counts.get(action)).toBe((weight / 100) * steps);
  });

  it('is the expected realistic mix: reads dominate, creates are rare', () => {
    const w = Object.fromEntries(API_MIX.map((e) => [e.action, e.weight]));
    expect(w).toEqual({
      auth_login: 10,
      meeting_list: 30,
      meeting_get: 20,
      meeting_create: 5,
      meeting_join: 15,
      chat_send: 10,
      chat_history: 10,
    });
  });

  it('stays in range at the edges', () => {
    expect(pickAction(0)).toBe('auth_login');
    expect(pickAction(0.9999999999)).toBe('chat_history');
    expect(pickAction(1)).toBe('chat_history');
  });
});
