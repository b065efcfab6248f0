-- Constraint triggers with FROM and comments on constraint indexes, before.
CREATE TABLE accounts (id integer PRIMARY KEY, code text, CONSTRAINT accounts_code_key UNIQUE (code));
CREATE TABLE branches (id integer PRIMARY KEY);
CREATE TABLE retired (id integer PRIMARY KEY);
CREATE TABLE ledger (id integer PRIMARY KEY, account_id integer, note text);
CREATE FUNCTION check_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
COMMENT ON INDEX accounts_pkey IS 'old pk comment';
COMMENT ON INDEX accounts_code_key IS 'code index';
COMMENT ON INDEX ledger_pkey IS 'dropped comment';
-- FROM changes: the trigger is dropped and created again
CREATE CONSTRAINT TRIGGER ledger_account AFTER INSERT ON ledger FROM accounts
    FOR EACH ROW EXECUTE FUNCTION check_fn();
-- FROM a table that goes away: the trigger is dropped before it
CREATE CONSTRAINT TRIGGER ledger_retired AFTER INSERT ON ledger FROM retired
    FOR EACH ROW EXECUTE FUNCTION check_fn();
-- FROM is added
CREATE CONSTRAINT TRIGGER ledger_plain AFTER UPDATE ON ledger DEFERRABLE
    FOR EACH ROW EXECUTE FUNCTION check_fn();
CREATE TRIGGER ledger_a AFTER INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn();
CREATE TRIGGER ledger_b AFTER UPDATE OF account_id, note ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn('x');
