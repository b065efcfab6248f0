-- Declarative partitioning (with a partitioned FK target) and plain inheritance.
CREATE TABLE accounts (id integer PRIMARY KEY, name text);
CREATE TABLE events (
    id bigint NOT NULL,
    account_id integer NOT NULL REFERENCES accounts (id),
    at date NOT NULL,
    kind text,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY RANGE (at);
CREATE TABLE events_2025_h1 PARTITION OF events_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
CREATE TABLE events_2025_other PARTITION OF events_2025 DEFAULT;
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_kind_idx ON events (kind);
CREATE TABLE by_hash (id integer NOT NULL) PARTITION BY HASH (id);
CREATE TABLE by_hash_0 PARTITION OF by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE by_hash_1 PARTITION OF by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE vehicles (id integer, wheels integer CHECK (wheels >= 0));
CREATE TABLE cars (doors integer) INHERITS (vehicles);

-- A partition that tightens its parent's columns: its own NOT NULL and default.
CREATE TABLE readings (sensor integer NOT NULL, value numeric, note text) PARTITION BY LIST (sensor);
CREATE TABLE readings_1 PARTITION OF readings (value NOT NULL, note DEFAULT 'none') FOR VALUES IN (1);
CREATE TABLE readings_2 PARTITION OF readings FOR VALUES IN (2);
CREATE TABLE cars_local (doors integer DEFAULT 4, wheels integer NOT NULL DEFAULT 4) INHERITS (vehicles);
