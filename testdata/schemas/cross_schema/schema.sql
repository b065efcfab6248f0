-- Objects in public that reference objects of another schema created in the same file.
CREATE SCHEMA shared;

CREATE TYPE shared.currency AS ENUM ('EUR', 'USD');
CREATE DOMAIN shared.money_amount AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE TABLE shared.countries (
    code character(2) PRIMARY KEY,
    name text NOT NULL
);
CREATE SEQUENCE shared.invoice_numbers;
CREATE FUNCTION shared.normalize(t text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(trim(t)) $$;

CREATE TABLE invoices (
    id bigint DEFAULT nextval('shared.invoice_numbers'::regclass) NOT NULL,
    country character(2) REFERENCES shared.countries (code),
    currency shared.currency NOT NULL,
    amount shared.money_amount,
    customer text,
    CONSTRAINT invoices_pkey PRIMARY KEY (id)
);

CREATE INDEX invoices_customer_idx ON invoices (shared.normalize(customer));

CREATE VIEW invoice_countries AS
    SELECT i.id, c.name AS country_name, shared.normalize(i.customer) AS customer
    FROM invoices i JOIN shared.countries c ON c.code = i.country;

CREATE FUNCTION invoice_total(cur shared.currency) RETURNS shared.money_amount
    LANGUAGE sql STABLE
    AS $$ SELECT sum(amount)::shared.money_amount FROM invoices WHERE currency = cur $$;
