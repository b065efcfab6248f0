-- Trigger and constraint-index corners: CONSTRAINT TRIGGER ... FROM (same and other schema),
-- COMMENT ON INDEX of key constraints, UPDATE OF written out of column order, arguments that
-- need quoting, WHEN reading OLD/NEW and a function of another schema, both transition
-- tables, view triggers, triggers of a partitioned table (cloned onto its partitions, which
-- must not be listed again), ENABLE ALWAYS and DISABLE TRIGGER USER.
CREATE SCHEMA trg_util;
CREATE TABLE trg_util.registry (id integer PRIMARY KEY);
CREATE FUNCTION trg_util.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION trg_util.is_big(integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 > 100 $$;

CREATE FUNCTION "Check Fn"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    code text,
    during tstzrange,
    CONSTRAINT accounts_code_key UNIQUE (code),
    CONSTRAINT accounts_no_overlap EXCLUDE USING gist (during WITH &&)
);
COMMENT ON INDEX accounts_pkey IS 'Primary key index';
COMMENT ON INDEX public.accounts_code_key IS 'it''s the code index';
COMMENT ON INDEX accounts_no_overlap IS 'keeps periods apart';
COMMENT ON CONSTRAINT accounts_code_key ON accounts IS 'codes are unique';

CREATE TABLE "Ledger" (
    id integer PRIMARY KEY,
    account_id integer,
    amount numeric,
    "Memo Text" text,
    note text
);

CREATE CONSTRAINT TRIGGER ledger_account AFTER INSERT OR UPDATE ON "Ledger" FROM accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "Check Fn"();
CREATE CONSTRAINT TRIGGER ledger_registry AFTER DELETE ON "Ledger" FROM trg_util.registry
    FOR EACH ROW EXECUTE FUNCTION trg_util.audit('registry');

CREATE TRIGGER ledger_columns AFTER UPDATE OF note, "Memo Text", amount ON "Ledger"
    FOR EACH ROW WHEN (OLD."Memo Text" IS DISTINCT FROM NEW."Memo Text" AND trg_util.is_big(NEW.id))
    EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER ledger_args AFTER INSERT ON "Ledger"
    FOR EACH ROW EXECUTE FUNCTION trg_util.audit('it''s', 'back\slash', 42, 1.5, 'say "hi"', bare_word, '');
CREATE TRIGGER "Ledger Rows" AFTER UPDATE ON "Ledger"
    REFERENCING NEW TABLE AS "New Rows" OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER ledger_whole_row BEFORE UPDATE ON "Ledger"
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE PROCEDURE trg_util.audit();
CREATE TRIGGER ledger_always AFTER DELETE ON "Ledger" FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
ALTER TABLE "Ledger" ENABLE ALWAYS TRIGGER ledger_always;

CREATE TABLE quiet (id integer);
CREATE TRIGGER quiet_a AFTER INSERT ON quiet FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER quiet_b AFTER DELETE ON quiet FOR EACH STATEMENT EXECUTE FUNCTION trg_util.audit();
ALTER TABLE quiet DISABLE TRIGGER USER;

CREATE VIEW ledger_view AS SELECT id, amount FROM "Ledger";
CREATE TRIGGER ledger_view_write INSTEAD OF INSERT OR UPDATE OR DELETE ON ledger_view
    FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER ledger_view_stmt AFTER INSERT ON ledger_view
    FOR EACH STATEMENT EXECUTE FUNCTION trg_util.audit();
COMMENT ON TRIGGER ledger_view_write ON ledger_view IS 'writes go to the table';

CREATE TABLE events (id integer, at date NOT NULL, v integer) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TRIGGER events_row AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER events_before BEFORE UPDATE ON events
    FOR EACH ROW WHEN (NEW.v IS NULL) EXECUTE FUNCTION trg_util.audit();
CREATE TRIGGER events_stmt AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION trg_util.audit();
CREATE CONSTRAINT TRIGGER events_check AFTER INSERT ON events FROM accounts
    FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
ALTER TABLE events DISABLE TRIGGER events_row;
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TRIGGER events_2024_own AFTER DELETE ON events_2024 FOR EACH ROW EXECUTE FUNCTION trg_util.audit();
