CREATE TABLE notes (id integer PRIMARY KEY);
-- C and internal functions, and range types with every option, CANONICAL included.
-- LANGUAGE c: pg_proc.probin is the object file, prosrc the link symbol (plpgsql's and
-- pg_trgm's symbols exist in every installation).
CREATE FUNCTION c_handler(integer) RETURNS integer
    AS '$libdir/plpgsql', 'plpgsql_call_handler' LANGUAGE c;
-- without a link symbol, the symbol is the function's own name
CREATE FUNCTION similarity(text, text) RETURNS real
    AS '$libdir/pg_trgm' LANGUAGE c IMMUTABLE STRICT;
-- LANGUAGE internal: the body names a built-in C function
CREATE FUNCTION add_ints(integer, integer) RETURNS integer
    AS 'int4pl' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

-- A CANONICAL function takes and returns its range type: a shell type comes first, then the
-- function (C or internal only: SQL functions cannot take a shell type), then the range.
CREATE TYPE int_span;
CREATE FUNCTION int_span_canonical(int_span) RETURNS int_span
    AS 'int4range_canonical' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION int_span_diff(integer, integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$SELECT ($1 - $2)::double precision$$;
CREATE TYPE int_span AS RANGE (
    SUBTYPE = integer,
    CANONICAL = int_span_canonical,
    SUBTYPE_DIFF = int_span_diff,
    MULTIRANGE_TYPE_NAME = int_spans
);
COMMENT ON TYPE int_span IS 'integer spans, normalised to [)';

-- a non-default operator class and collation
CREATE TYPE text_span AS RANGE (
    SUBTYPE = text,
    SUBTYPE_OPCLASS = text_pattern_ops,
    COLLATION = "C"
);

CREATE TABLE bookings (
    id integer PRIMARY KEY,
    during int_span NOT NULL,
    label_range text_span,
    total integer GENERATED ALWAYS AS (add_ints(id, 1)) STORED
);
