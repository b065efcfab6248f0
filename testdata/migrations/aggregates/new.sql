CREATE FUNCTION add_int(state integer, v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT state + v $$;
CREATE FUNCTION times_ten(state integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT state * 10 $$;
CREATE AGGREGATE my_sum(integer) (SFUNC = add_int, STYPE = integer, INITCOND = '100', FINALFUNC = times_ten);
CREATE AGGREGATE my_total(integer) (SFUNC = add_int, STYPE = integer);
COMMENT ON AGGREGATE my_total(integer) IS 'plain total';
