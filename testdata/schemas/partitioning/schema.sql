-- Range, list and hash partitioning, a default partition and a sub-partitioned partition.
CREATE TABLE measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer
) PARTITION BY RANGE (logdate);

CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (city_id);
CREATE TABLE measurements_2025_c1 PARTITION OF measurements_2025 FOR VALUES IN (1, 2);
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;

CREATE TABLE events (
    id bigint NOT NULL,
    kind text NOT NULL
) PARTITION BY HASH (id);
CREATE TABLE events_p0 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE events_p1 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE logs (
    at timestamp without time zone NOT NULL,
    level text
) PARTITION BY RANGE (date_trunc('day', at), level);
