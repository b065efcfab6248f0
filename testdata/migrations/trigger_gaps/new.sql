-- Constraint triggers with FROM and comments on constraint indexes, after.
CREATE TABLE accounts (id integer PRIMARY KEY, code text, CONSTRAINT accounts_code_key UNIQUE (code, id));
CREATE TABLE branches (id integer PRIMARY KEY);
CREATE TABLE ledger (id integer PRIMARY KEY, account_id integer, note text);
CREATE FUNCTION check_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
COMMENT ON INDEX accounts_pkey IS 'new pk comment';
-- the key is replaced (one more column): its index comment comes back with it
COMMENT ON INDEX accounts_code_key IS 'code index';
CREATE CONSTRAINT TRIGGER ledger_account AFTER INSERT ON ledger FROM branches
    FOR EACH ROW EXECUTE FUNCTION check_fn();
CREATE CONSTRAINT TRIGGER ledger_retired AFTER INSERT ON ledger
    FOR EACH ROW EXECUTE FUNCTION check_fn();
CREATE CONSTRAINT TRIGGER ledger_plain AFTER UPDATE ON ledger FROM accounts DEFERRABLE
    FOR EACH ROW EXECUTE FUNCTION check_fn();
CREATE TRIGGER ledger_a AFTER INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn();
-- UPDATE OF in another order: tgattr keeps the order, so the trigger is replaced
CREATE TRIGGER ledger_b AFTER UPDATE OF note, account_id ON ledger FOR EACH ROW EXECUTE FUNCTION check_fn('x');
ALTER TABLE ledger DISABLE TRIGGER USER;
