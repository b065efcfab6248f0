-- Procedures: plpgsql and SQL-standard bodies, INOUT arguments, configuration.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    message text NOT NULL
);

CREATE PROCEDURE log_message(msg text, level text DEFAULT 'info')
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO audit_log (message) VALUES (level || ': ' || msg);
END;
$$;

CREATE PROCEDURE purge_log()
    LANGUAGE sql
BEGIN ATOMIC
    DELETE FROM audit_log;
END;

CREATE PROCEDURE count_log(INOUT total bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public
    AS $$
BEGIN
    SELECT count(*) INTO total FROM audit_log;
END;
$$;
