-- Dependencies that a naive order gets wrong: FK cycles, self references, views on views,
-- a function used by a table default and a check constraint, a sequence used before its owner.
CREATE TABLE employees (
    id integer PRIMARY KEY,
    manager_id integer REFERENCES employees (id),
    department_id integer
);
CREATE TABLE departments (
    id integer PRIMARY KEY,
    head_id integer REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE employees ADD CONSTRAINT employees_department_fk FOREIGN KEY (department_id) REFERENCES departments (id);

CREATE SEQUENCE code_seq;
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql
    AS $$ SELECT 'C' || nextval('code_seq')::text $$;
CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN n % 2 = 0;
CREATE TABLE codes (
    code text PRIMARY KEY DEFAULT next_code(),
    n integer CHECK (is_even(n)),
    serial_no integer DEFAULT nextval('code_seq')
);
ALTER SEQUENCE code_seq OWNED BY codes.serial_no;

CREATE TABLE zz_base (id integer PRIMARY KEY, label text);
CREATE VIEW a_level1 AS SELECT id, label FROM zz_base;
CREATE VIEW a_level2 AS SELECT id FROM a_level1 WHERE id > 1;
CREATE VIEW a_level0 AS SELECT count(*) AS n FROM a_level2;
CREATE MATERIALIZED VIEW a_snapshot AS SELECT * FROM a_level1;
CREATE VIEW b_over_matview AS SELECT * FROM a_snapshot;
CREATE FUNCTION count_base() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM zz_base; END;
CREATE VIEW c_uses_function AS SELECT count_base() AS n;

-- An updatable view through an INSTEAD OF trigger, whose function writes the base table.
CREATE FUNCTION a_level1_insert() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO zz_base (id, label) VALUES (NEW.id, NEW.label); RETURN NEW; END $$;
CREATE TRIGGER a_level1_insert INSTEAD OF INSERT ON a_level1 FOR EACH ROW EXECUTE FUNCTION a_level1_insert();
COMMENT ON TRIGGER a_level1_insert ON a_level1 IS 'writes through';
