CREATE TABLE events (id integer PRIMARY KEY, kind text, payload jsonb, created_at timestamptz);
CREATE INDEX events_kind_idx ON events (kind) WHERE kind IS NOT NULL;
CREATE INDEX events_created_idx ON events (created_at DESC NULLS LAST);
CREATE UNIQUE INDEX events_lower_kind_idx ON events (lower(kind), id) INCLUDE (created_at);
CREATE INDEX events_payload_idx ON events USING gin (payload) WITH (fastupdate = off);
COMMENT ON INDEX events_created_idx IS 'newest first';
