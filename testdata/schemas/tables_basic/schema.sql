-- Plain tables: types with modifiers, defaults, NOT NULL, collation, UNLOGGED, storage options.
CREATE TABLE users (
    id bigint NOT NULL,
    email character varying(255) NOT NULL,
    name text COLLATE "C",
    balance numeric(12, 2) DEFAULT 0 NOT NULL,
    tags text[] DEFAULT '{}'::text[],
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    active boolean DEFAULT true,
    score double precision,
    flags bit(8),
    payload jsonb
);

CREATE UNLOGGED TABLE cache_entries (
    key text NOT NULL,
    value bytea,
    expires_at timestamp without time zone
);

CREATE TABLE tuned (
    id integer,
    note character(3)
) WITH (fillfactor = 70, autovacuum_enabled = false);

CREATE TABLE serial_owner (
    id serial,
    big_id bigserial,
    label text
);
