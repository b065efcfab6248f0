CREATE FUNCTION add_int(state integer, v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT state + v $$;
CREATE AGGREGATE my_sum(integer) (SFUNC = add_int, STYPE = integer, INITCOND = '0');
