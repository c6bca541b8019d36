import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isInfrastructureError } from '../../../stack/services/shared/database.ts';

function dbError(code: string): pg.DatabaseError {
  const err = new pg.DatabaseError('x', 0, 'error');
  err.code = code;
  return err;
}

describe('isInfrastructureError (what the PostgreSQL breaker counts)', () => {
  it.each(['08006', '53300', '57014', '57P01', '58030', 'XX000'])('counts SQLSTATE %s (server or connection trouble)', (code) => {
    expect(isInfrastructureError(dbError(code))).toBe(true);
  });

  it.each(['23505', '23503', '22P02', '42P01'])('does not count SQLSTATE %s (the server answered)', (code) => {
    expect(isInfrastructureError(dbError(code))).toBe(false);
  });

  it('counts errors that never reached PostgreSQL', () => {
    expect(isInfrastructureError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isInfrastructureError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });
});
