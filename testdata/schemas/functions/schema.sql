-- Functions: languages, argument modes and defaults, options, SQL-standard bodies, overloads.
CREATE TABLE items (
    id integer PRIMARY KEY,
    name text
);

CREATE FUNCTION add_numbers(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT a + b $$;

CREATE FUNCTION add_numbers(a numeric, b numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a + b $$;

CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hello, '::text) RETURNS text
    LANGUAGE plpgsql STABLE COST 50
    AS $$
BEGIN
    RETURN greeting || name;
END;
$$;

CREATE FUNCTION split_pair(IN input text, OUT head text, OUT tail text)
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT split_part(input, ',', 1), split_part(input, ',', 2) $$;

CREATE FUNCTION item_names(min_id integer) RETURNS TABLE(id integer, name text)
    LANGUAGE sql STABLE ROWS 50
    AS $$ SELECT id, name FROM items WHERE id >= min_id $$;

CREATE FUNCTION all_items() RETURNS SETOF items
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM items $$;

CREATE FUNCTION sum_all(VARIADIC nums integer[]) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT sum(n)::integer FROM unnest(nums) AS n $$;

CREATE FUNCTION secure_count() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER LEAKPROOF PARALLEL RESTRICTED
    SET search_path = public, pg_temp
    SET work_mem = '64MB'
    AS $$ SELECT count(*) FROM items $$;

CREATE FUNCTION double_it(x integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN x * 2;

CREATE FUNCTION item_count() RETURNS bigint
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT count(*) FROM items;
END;

CREATE FUNCTION swap(INOUT a integer, INOUT b integer)
    LANGUAGE plpgsql
    AS $$
DECLARE t integer;
BEGIN
    t := a; a := b; b := t;
END;
$$;
