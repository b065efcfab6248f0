-- Every kind of object the IR knows, in one schema.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE address AS (street text, city text COLLATE "C", zip integer);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN email AS text CHECK (VALUE ~ '@');
CREATE DOMAIN positive_int AS integer DEFAULT 1 NOT NULL CONSTRAINT positive CHECK (VALUE > 0);

CREATE SEQUENCE invoice_no AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999990 CACHE 5 CYCLE;

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
    mail email NOT NULL UNIQUE,
    name varchar(100) COLLATE "C" NOT NULL DEFAULT '',
    feeling mood DEFAULT 'ok',
    home address,
    tags text[] DEFAULT '{}'::text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    name_upper text GENERATED ALWAYS AS (upper(name::text)) STORED,
    CONSTRAINT name_not_blank CHECK (length(name) > 0)
) WITH (fillfactor = 80);
COMMENT ON TABLE customers IS 'people who pay';
COMMENT ON COLUMN customers.mail IS 'primary contact';
COMMENT ON CONSTRAINT name_not_blank ON customers IS 'no empty names';

CREATE TABLE invoices (
    id serial PRIMARY KEY,
    number integer NOT NULL DEFAULT nextval('invoice_no'),
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
    quantity positive_int,
    valid_during floatrange,
    paid boolean NOT NULL DEFAULT false,
    note text,
    UNIQUE NULLS NOT DISTINCT (customer_id, number)
);
ALTER SEQUENCE invoice_no OWNED BY invoices.number;

CREATE UNLOGGED TABLE scratch (k text, v jsonb);

CREATE INDEX invoices_customer_idx ON invoices USING btree (customer_id, amount DESC NULLS LAST) INCLUDE (paid);
CREATE INDEX invoices_unpaid_idx ON invoices (lower(note)) WHERE NOT paid;
CREATE UNIQUE INDEX customers_name_idx ON customers (name text_pattern_ops) WITH (fillfactor = 70);
CREATE INDEX scratch_v_idx ON scratch USING gin (v jsonb_path_ops);
COMMENT ON INDEX invoices_unpaid_idx IS 'open invoices';

CREATE FUNCTION invoice_total(p_customer bigint) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(amount), 0) FROM invoices WHERE customer_id = p_customer $$;
CREATE FUNCTION add_one(x integer, y integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN x + y;
CREATE FUNCTION add_one(x numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
        SELECT x + 1;
    END;
CREATE FUNCTION split_pair(a text, OUT first text, OUT second text)
    LANGUAGE plpgsql
    AS $fn$
BEGIN
    first := split_part(a, ',', 1);
    second := split_part(a, ',', 2);
END
$fn$;
CREATE FUNCTION customers_named(pattern text) RETURNS TABLE(id bigint, name varchar)
    LANGUAGE sql STABLE ROWS 50
    AS $$ SELECT id, name FROM customers WHERE name LIKE pattern $$;
CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ BEGIN NEW.note := coalesce(NEW.note, '') || '$'; RETURN NEW; END $$;
CREATE FUNCTION audit_statement() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;
COMMENT ON FUNCTION add_one(integer, integer) IS 'adds';

CREATE PROCEDURE mark_paid(p_id integer, INOUT changed integer DEFAULT 0)
    LANGUAGE plpgsql
    AS $$ BEGIN UPDATE invoices SET paid = true WHERE id = p_id; changed := 1; END $$;
COMMENT ON PROCEDURE mark_paid(integer, integer) IS 'settles one invoice';

CREATE AGGREGATE product(numeric) (SFUNC = numeric_mul, STYPE = numeric, INITCOND = '1');
COMMENT ON AGGREGATE product(numeric) IS 'multiplies';

CREATE TRIGGER invoices_touch BEFORE INSERT OR UPDATE OF note ON invoices
    FOR EACH ROW WHEN (NEW.amount > 0) EXECUTE FUNCTION touch();
CREATE TRIGGER invoices_audit AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE CONSTRAINT TRIGGER invoices_check AFTER INSERT ON invoices
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_statement();
CREATE TRIGGER customers_off AFTER UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION audit_statement();
ALTER TABLE customers DISABLE TRIGGER customers_off;
COMMENT ON TRIGGER invoices_touch ON invoices IS 'keeps notes';

CREATE VIEW open_invoices WITH (security_barrier = true) AS
    SELECT i.id, i.amount, c.name FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE NOT i.paid;
CREATE VIEW big_open_invoices AS SELECT * FROM open_invoices WHERE amount > 1000;
CREATE VIEW positive_invoices AS SELECT * FROM invoices WHERE amount > 0 WITH LOCAL CHECK OPTION;
COMMENT ON VIEW open_invoices IS 'unpaid';
COMMENT ON COLUMN open_invoices.name IS 'customer name';

CREATE MATERIALIZED VIEW customer_totals AS
    SELECT customer_id, sum(amount) AS total FROM invoices GROUP BY customer_id WITH NO DATA;
CREATE UNIQUE INDEX customer_totals_idx ON customer_totals (customer_id);
COMMENT ON MATERIALIZED VIEW customer_totals IS 'per customer';

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_read ON invoices FOR SELECT USING (true);
CREATE POLICY invoices_own ON invoices AS RESTRICTIVE FOR UPDATE TO testuser
    USING (customer_id > 0) WITH CHECK (amount < 1000000);
COMMENT ON POLICY invoices_read ON invoices IS 'everyone reads';
COMMENT ON SEQUENCE invoice_no IS 'numbers';
COMMENT ON TYPE mood IS 'how it feels';
COMMENT ON DOMAIN email IS 'has an at';
