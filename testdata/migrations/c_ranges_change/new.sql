CREATE TABLE notes (id integer PRIMARY KEY);
-- another link symbol and library file for the C function (CREATE OR REPLACE)
CREATE FUNCTION c_handler(integer) RETURNS integer
    AS '$libdir/plpgsql', 'plpgsql_inline_handler' LANGUAGE c;
CREATE FUNCTION similarity(text, text) RETURNS real
    AS '$libdir/pg_trgm' LANGUAGE c IMMUTABLE STRICT;
-- another built-in for the internal function
CREATE FUNCTION add_ints(integer, integer) RETURNS integer
    AS 'int4mi' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

-- the canonical function changes in place (no shell type: the range exists)
CREATE TYPE int_span;
CREATE FUNCTION int_span_canonical(int_span) RETURNS int_span
    AS 'int4range_canonical' LANGUAGE internal IMMUTABLE STRICT COST 2;
CREATE FUNCTION int_span_diff(integer, integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$SELECT ($1 - $2)::double precision$$;
CREATE TYPE int_span AS RANGE (
    SUBTYPE = integer,
    CANONICAL = int_span_canonical,
    SUBTYPE_DIFF = int_span_diff,
    MULTIRANGE_TYPE_NAME = int_spans
);
COMMENT ON TYPE int_span IS 'integer spans';

-- a second canonical range, new in this migration
CREATE TYPE day_span;
CREATE FUNCTION day_span_canonical(day_span) RETURNS day_span
    AS 'daterange_canonical' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE day_span AS RANGE (SUBTYPE = date, CANONICAL = day_span_canonical);

CREATE TABLE bookings (
    id integer PRIMARY KEY,
    during int_span NOT NULL,
    days day_span,
    total integer GENERATED ALWAYS AS (add_ints(id, 1)) STORED
);
