/**
 * Brings the database to what the services expect, idempotently, on every api start:
 * the schema (schema.sql), the load-test users and a few meetings to list.
 *
 * All of it runs in one transaction under an advisory lock, so two processes starting at once
 * (or a restart during a run) neither race on CREATE nor seed twice.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { loadTestUserEmail } from '../../../lib/gomeet/contract.ts';
import { DEFAULT_MAX_PARTICIPANTS } from '../shared/limits.ts';
import { hashPassword } from '../shared/password.ts';

/** Arbitrary constant naming "the GoMeet schema lock" for pg_advisory_xact_lock. */
const SCHEMA_LOCK_KEY = 0x60_4e_e7;
/** Meetings seeded so the API scenario's list calls return something from the first second. */
export const SEED_MEETINGS = 10;
const SEED_MEETING_TITLE = 'Seed meeting';

export interface PrepareOptions {
  loadTestUsers: number;
  loadTestPassword: string;
}

export async function prepareDatabase(pool: pg.Pool, opts: PrepareOptions): Promise<void> {
  const schema = await readFile(new URL('./schema.sql', import.meta.url), 'utf8');
  // The load-test users share one password, so one hash (one salt) serves them all: hashing
  // 1000 times would cost seconds of startup for no security gain on a throwaway target.
  const passwordHash = await hashPassword(opts.loadTestPassword);
  const emails = Array.from({ length: opts.loadTestUsers }, (_, n) => loadTestUserEmail(n));

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(schema);
    if (emails.length > 0) {
      // One multi-row statement for all users. DO UPDATE so a changed shared password takes effect.
      await client.query(
        `INSERT INTO users (email, name, password_hash)
         SELECT email, 'Load Test ' || (n - 1), $2
         FROM unnest($1::text[]) WITH ORDINALITY AS u(email, n)
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
        [emails, passwordHash],
      );
      await client.query(
        // Staggered creation times give the listing a stable newest-first order (meeting 1 newest).
        `INSERT INTO meetings (title, host_id, max_participants, created_at)
         SELECT $1 || ' ' || n, (SELECT id FROM users WHERE email = $2), $3, now() - n * interval '1 second'
         FROM generate_series(1, $4::int) AS n
         WHERE NOT EXISTS (SELECT 1 FROM meetings WHERE title LIKE $1 || ' %')`,
        [SEED_MEETING_TITLE, emails[0], DEFAULT_MAX_PARTICIPANTS, SEED_MEETINGS],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
