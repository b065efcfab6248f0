-- Partition column overrides the dump cannot reproduce statement for statement (PostgreSQL 18 names
-- a partition's own NOT NULL constraints differently), so they are checked by parity only.
CREATE TABLE orders (
    id bigint NOT NULL,
    region text NOT NULL,
    priority integer DEFAULT 0,
    notes text,
    placed_on date
) PARTITION BY LIST (region);

-- a NOT NULL the parent already has: not an override
CREATE TABLE orders_apac PARTITION OF orders (
    id NOT NULL
) FOR VALUES IN ('apac');

-- a standalone table attached as a partition: its columns become inherited, and only those
-- that differ from the parent stay listed (in the table's own column order)
CREATE TABLE orders_mena (
    placed_on date,
    notes text NOT NULL,
    priority integer DEFAULT 7,
    region text NOT NULL,
    id bigint NOT NULL
);
ALTER TABLE orders ATTACH PARTITION orders_mena FOR VALUES IN ('mena');

-- the same columns as the parent: nothing listed after attaching
CREATE TABLE orders_asia (id bigint NOT NULL, region text NOT NULL, priority integer DEFAULT 0, notes text,
                          placed_on date);
ALTER TABLE ONLY orders ATTACH PARTITION orders_asia FOR VALUES IN ('asia');

-- a partition's primary key makes its column NOT NULL where the parent's is not
CREATE TABLE orders_oceania PARTITION OF orders (
    placed_on WITH OPTIONS PRIMARY KEY
) FOR VALUES IN ('oceania');
