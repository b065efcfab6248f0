-- Object and column privileges, grant options, revoked PUBLIC defaults.
CREATE TABLE ledger (
    id integer PRIMARY KEY,
    amount numeric,
    note text,
    secret text
);

CREATE VIEW ledger_public AS SELECT id, amount FROM ledger;

CREATE SEQUENCE ledger_seq;

CREATE FUNCTION ledger_total() RETURNS numeric
    LANGUAGE sql STABLE
    AS $$ SELECT sum(amount) FROM ledger $$;

CREATE FUNCTION ledger_open() RETURNS integer
    LANGUAGE sql STABLE
    AS $$ SELECT 1 $$;

CREATE PROCEDURE ledger_reset()
    LANGUAGE sql
    AS $$ DELETE FROM ledger $$;

CREATE TYPE ledger_kind AS ENUM ('debit', 'credit');
CREATE DOMAIN ledger_amount AS numeric CHECK (VALUE >= 0);

GRANT SELECT, INSERT ON ledger TO testuser;
GRANT UPDATE ON ledger TO testuser WITH GRANT OPTION;
GRANT SELECT (id, amount), UPDATE (note) ON ledger TO PUBLIC;
GRANT SELECT ON ledger_public TO PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE ledger_seq TO testuser;
REVOKE EXECUTE ON FUNCTION ledger_total() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger_total() TO testuser;
REVOKE EXECUTE ON PROCEDURE ledger_reset() FROM PUBLIC;
REVOKE USAGE ON TYPE ledger_kind FROM PUBLIC;
GRANT USAGE ON TYPE ledger_kind TO testuser;
GRANT USAGE ON DOMAIN ledger_amount TO testuser;
GRANT USAGE ON SCHEMA public TO testuser;
