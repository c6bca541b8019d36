-- GoMeet reference schema. Idempotent: applied by the api process on every start
-- (under an advisory lock, so concurrent starts do not race on CREATE).
-- gen_random_uuid() is built into PostgreSQL 13+.

CREATE TABLE IF NOT EXISTS users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS meetings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title            text NOT NULL,
  host_id          uuid NOT NULL REFERENCES users (id),
  max_participants integer NOT NULL CHECK (max_participants > 0),
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- "newest first" listing.
CREATE INDEX IF NOT EXISTS meetings_created_at_idx ON meetings (created_at DESC, id DESC);

-- One row per join through the API (signaling keeps live counts in Redis, not here).
CREATE TABLE IF NOT EXISTS participants (
  id         text PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  user_id    uuid NOT NULL REFERENCES users (id),
  joined_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS participants_meeting_idx ON participants (meeting_id, joined_at DESC);

CREATE TABLE IF NOT EXISTS chat_messages (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  user_id    uuid NOT NULL REFERENCES users (id),
  text       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- History is read newest first per meeting.
CREATE INDEX IF NOT EXISTS chat_messages_meeting_idx ON chat_messages (meeting_id, created_at DESC);

-- Only a SHA-256 of each refresh token is stored: a leaked table does not hand out sessions.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refresh_tokens_expires_idx ON refresh_tokens (expires_at);
