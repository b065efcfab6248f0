CREATE TABLE events (id integer PRIMARY KEY, kind text, payload jsonb, created_at timestamptz);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_created_idx ON events (created_at);
CREATE INDEX events_gone_idx ON events (kind, created_at);
