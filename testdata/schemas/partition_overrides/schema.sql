-- Partitions and inheritance children that override an inherited column's NOT NULL or DEFAULT.
CREATE TABLE orders (
    id bigint NOT NULL,
    region text NOT NULL,
    priority integer DEFAULT 0,
    notes text,
    placed_on date
) PARTITION BY LIST (region);

-- no overrides: nothing listed
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');

-- both spellings of a column override
CREATE TABLE orders_us PARTITION OF orders (
    priority DEFAULT 10,
    notes WITH OPTIONS NOT NULL
) FOR VALUES IN ('us');

-- the same default as the parent: not an override
CREATE TABLE orders_apac PARTITION OF orders (
    priority DEFAULT 0
) FOR VALUES IN ('apac');

-- a sub-partitioned partition overriding, and its own partition overriding again
CREATE TABLE orders_latam PARTITION OF orders (
    placed_on DEFAULT CURRENT_DATE
) FOR VALUES IN ('latam') PARTITION BY RANGE (id);
CREATE TABLE orders_latam_low PARTITION OF orders_latam (
    "notes" NOT NULL
) FOR VALUES FROM (MINVALUE) TO (1000);
CREATE TABLE orders_latam_high PARTITION OF orders_latam FOR VALUES FROM (1000) TO (MAXVALUE);

-- overrides set after creation
CREATE TABLE orders_other PARTITION OF orders DEFAULT;
ALTER TABLE orders_other ALTER COLUMN priority SET DEFAULT -1;
ALTER TABLE orders_other ALTER COLUMN placed_on SET NOT NULL;

-- an override set and then taken back
CREATE TABLE orders_africa PARTITION OF orders FOR VALUES IN ('africa');
ALTER TABLE orders_africa ALTER COLUMN priority SET DEFAULT 5;
ALTER TABLE orders_africa ALTER COLUMN priority SET DEFAULT 0;

-- inheritance: a re-declared (local) column and overrides of inherited ones
CREATE TABLE events (
    id integer NOT NULL,
    kind text DEFAULT 'generic',
    payload jsonb
);
CREATE TABLE audit_events (
    kind text NOT NULL,
    actor text
) INHERITS (events);
ALTER TABLE audit_events ALTER COLUMN payload SET NOT NULL;
CREATE TABLE login_events () INHERITS (events);
ALTER TABLE login_events ALTER COLUMN kind SET DEFAULT 'login';
