-- Aggregates: simple, with final function and initial condition, moving-aggregate, ordered-set.
CREATE FUNCTION int_sum_state(state bigint, value integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT state + value $$;

CREATE FUNCTION int_sum_inverse(state bigint, value integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT state - value $$;

CREATE FUNCTION avg_state(state numeric[], value numeric) RETURNS numeric[]
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT ARRAY[state[1] + value, state[2] + 1] $$;

CREATE FUNCTION avg_final(state numeric[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN state[2] = 0 THEN NULL ELSE state[1] / state[2] END $$;

CREATE FUNCTION count_state(state bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT state + 1 $$;

CREATE FUNCTION pick_final(state numeric[], fraction double precision, value numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT state[1] $$;

CREATE AGGREGATE int_sum(integer) (
    SFUNC = int_sum_state,
    STYPE = bigint,
    INITCOND = '0',
    MSFUNC = int_sum_state,
    MINVFUNC = int_sum_inverse,
    MSTYPE = bigint,
    MINITCOND = '0',
    PARALLEL = SAFE
);

CREATE AGGREGATE my_avg(numeric) (
    SFUNC = avg_state,
    STYPE = numeric[],
    FINALFUNC = avg_final,
    INITCOND = '{0,0}'
);

CREATE AGGREGATE my_count(*) (
    SFUNC = count_state,
    STYPE = bigint,
    INITCOND = '0'
);

CREATE AGGREGATE my_max(integer) (
    SFUNC = int4larger,
    STYPE = integer,
    SORTOP = >
);

CREATE AGGREGATE pick(double precision ORDER BY numeric) (
    SFUNC = avg_state,
    STYPE = numeric[],
    FINALFUNC = pick_final,
    FINALFUNC_EXTRA,
    INITCOND = '{0,0}'
);
