-- Triggers: timings, events, UPDATE OF, WHEN, statement level, transition tables,
-- constraint triggers, disabled/replica triggers, INSTEAD OF on a view.
CREATE TABLE stock (
    id integer PRIMARY KEY,
    qty integer NOT NULL,
    updated_at timestamp with time zone
);

CREATE VIEW stock_view AS SELECT id, qty FROM stock;

CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE FUNCTION audit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;

CREATE TRIGGER stock_touch BEFORE INSERT OR UPDATE ON stock
    FOR EACH ROW EXECUTE FUNCTION touch();

CREATE TRIGGER stock_qty_changed AFTER UPDATE OF qty ON stock
    FOR EACH ROW WHEN (OLD.qty IS DISTINCT FROM NEW.qty) EXECUTE FUNCTION audit('qty', 'it''s');

CREATE TRIGGER stock_truncate AFTER TRUNCATE ON stock
    FOR EACH STATEMENT EXECUTE FUNCTION audit();

CREATE TRIGGER stock_bulk AFTER DELETE ON stock
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION audit();

CREATE CONSTRAINT TRIGGER stock_check AFTER INSERT OR UPDATE ON stock
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION audit();

CREATE TRIGGER stock_disabled AFTER INSERT ON stock
    FOR EACH ROW EXECUTE FUNCTION audit();
ALTER TABLE stock DISABLE TRIGGER stock_disabled;

CREATE TRIGGER stock_replica AFTER INSERT ON stock
    FOR EACH ROW EXECUTE FUNCTION audit();
ALTER TABLE stock ENABLE REPLICA TRIGGER stock_replica;

CREATE FUNCTION stock_view_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO stock (id, qty) VALUES (NEW.id, NEW.qty); RETURN NEW; END $$;

CREATE TRIGGER stock_view_ins INSTEAD OF INSERT ON stock_view
    FOR EACH ROW EXECUTE FUNCTION stock_view_insert();

COMMENT ON TRIGGER stock_touch ON stock IS 'Keeps updated_at fresh';
