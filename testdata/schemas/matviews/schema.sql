-- Materialized views with data, without data, storage options and their own indexes.
CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric NOT NULL
);

CREATE MATERIALIZED VIEW sales_by_region AS
    SELECT region, sum(amount) AS total FROM sales GROUP BY region;

CREATE UNIQUE INDEX sales_by_region_region_idx ON sales_by_region (region);

CREATE MATERIALIZED VIEW sales_empty WITH (fillfactor = 90) AS
    SELECT id, amount FROM sales
    WITH NO DATA;

COMMENT ON MATERIALIZED VIEW sales_by_region IS 'Totals per region';
