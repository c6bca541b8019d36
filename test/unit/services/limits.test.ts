import { describe, expect, it } from 'vitest';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, clampLimit } from '../../../stack/services/shared/limits.ts';

describe('clampLimit', () => {
  it.each([
    [undefined, LIST_LIMIT_DEFAULT],
    ['', LIST_LIMIT_DEFAULT],
    ['abc', LIST_LIMIT_DEFAULT],
    ['0', LIST_LIMIT_DEFAULT],
    ['-5', LIST_LIMIT_DEFAULT],
    ['1', 1],
    ['7.9', 7],
    ['100', 100],
    ['101', LIST_LIMIT_MAX],
    ['1e9', LIST_LIMIT_MAX],
  ])('%j → %d', (raw, expected) => {
    expect(clampLimit(raw)).toBe(expected);
  });
});
