-- Expression-heavy objects: expression index keys, generated columns, defaults, checks, policies.
CREATE TABLE measures (
    id integer PRIMARY KEY,
    a integer NOT NULL,
    b integer NOT NULL,
    label text COLLATE "C",
    at timestamptz DEFAULT (now() AT TIME ZONE 'utc'),
    total integer GENERATED ALWAYS AS (a + b) STORED,
    flags bit varying(8) DEFAULT B'101',
    doc jsonb DEFAULT '{"k": [1, 2]}'::jsonb,
    CONSTRAINT ordered CHECK (a <= b AND b < 1000000),
    CONSTRAINT label_shape CHECK (label ~ '^[a-z]+$' OR label IS NULL)
);
CREATE INDEX measures_sum_idx ON measures ((a + b));
CREATE INDEX measures_cast_idx ON measures ((a::text) text_pattern_ops);
CREATE INDEX measures_label_idx ON measures (lower(label) COLLATE "C" DESC NULLS LAST, (doc ->> 'k'));
CREATE INDEX measures_brin_idx ON measures USING brin (at) WITH (pages_per_range = 16);
CREATE INDEX measures_hash_idx ON measures USING hash (label);
CREATE INDEX measures_gin_idx ON measures USING gin (doc);
ALTER TABLE measures ENABLE ROW LEVEL SECURITY;
CREATE POLICY small ON measures USING (a < 100 AND label IN ('x', 'y'));
CREATE FUNCTION "weird $$ body"() RETURNS text LANGUAGE sql AS $_$ SELECT '$$ inside'::text $_$;
CREATE FUNCTION ends_with_dollar() RETURNS text LANGUAGE sql AS $q$ SELECT 'x$' $q$;
CREATE FUNCTION returns_set() RETURNS SETOF measures LANGUAGE sql STABLE AS $$ SELECT * FROM measures $$;
CREATE FUNCTION variadic_sum(VARIADIC nums integer[]) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT sum(n)::integer FROM unnest(nums) n $$;
CREATE FUNCTION costly(x integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE LEAKPROOF COST 500
    SET work_mem = '64MB' SET statement_timeout = 0
    AS $$ BEGIN RETURN x; END $$;
CREATE AGGREGATE my_avg(integer) (
    SFUNC = int4_avg_accum, STYPE = bigint[], FINALFUNC = int8_avg, INITCOND = '{0,0}',
    COMBINEFUNC = int4_avg_combine, PARALLEL = SAFE
);
CREATE AGGREGATE my_count(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE my_pct(double precision ORDER BY double precision) (
    SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_cont_float8_final
);
