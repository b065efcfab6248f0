CREATE FUNCTION next_code() RETURNS bigint LANGUAGE sql AS $$ SELECT 8::bigint $$;
CREATE FUNCTION positive(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v >= 0 $$;
CREATE TABLE items (
    id integer PRIMARY KEY,
    code integer DEFAULT next_code(),
    qty integer CONSTRAINT items_qty_check CHECK (positive(qty)),
    note character varying(200)
);
CREATE VIEW item_codes AS SELECT id, next_code() AS next FROM items;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER items_note BEFORE UPDATE OF note ON items FOR EACH ROW WHEN (NEW.note IS NOT NULL) EXECUTE FUNCTION audit();
