-- Operators, an operator class (with its own family) and a family with loose members, and what uses them.
CREATE TYPE pair AS (a integer, b integer);
CREATE FUNCTION pair_lt(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a < ($2).a $$;
CREATE FUNCTION pair_le(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a <= ($2).a $$;
CREATE FUNCTION pair_eq(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a = ($2).a $$;
CREATE FUNCTION pair_ge(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a >= ($2).a $$;
CREATE FUNCTION pair_gt(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a > ($2).a $$;
CREATE FUNCTION pair_cmp(pair, pair) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN ($1).a < ($2).a THEN -1 WHEN ($1).a > ($2).a THEN 1 ELSE 0 END $$;
CREATE FUNCTION neg(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT -$1 $$;
CREATE OPERATOR <<< (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_lt, COMMUTATOR = >>>, NEGATOR = >>>=,
                     RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <<<= (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_le);
CREATE OPERATOR === (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_eq, COMMUTATOR = ===, RESTRICT = eqsel,
                     JOIN = eqjoinsel, MERGES);
CREATE OPERATOR >>>= (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_ge, NEGATOR = <<<);
CREATE OPERATOR >>> (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_gt, COMMUTATOR = <<<);
CREATE OPERATOR ~~~ (RIGHTARG = integer, FUNCTION = neg);
COMMENT ON OPERATOR ===(pair, pair) IS 'same a';
CREATE OPERATOR CLASS pair_ops DEFAULT FOR TYPE pair USING btree AS
    OPERATOR 1 <<<, OPERATOR 2 <<<=, OPERATOR 3 ===, OPERATOR 4 >>>=, OPERATOR 5 >>>,
    FUNCTION 1 pair_cmp(pair, pair);
COMMENT ON OPERATOR CLASS pair_ops USING btree IS 'by a';
CREATE OPERATOR FAMILY int_extra USING btree;
ALTER OPERATOR FAMILY int_extra USING btree ADD OPERATOR 1 < (integer, bigint), FUNCTION 1 btint48cmp(integer, bigint);
CREATE TABLE t (id integer, p pair);
CREATE INDEX t_p ON t (p pair_ops);
CREATE VIEW neg_ids AS SELECT ~~~ id AS n, p FROM t WHERE p === ROW(1, 2)::pair;
CREATE OPERATOR CLASS pair_hash_ops FOR TYPE pair USING hash AS OPERATOR 1 ===;
