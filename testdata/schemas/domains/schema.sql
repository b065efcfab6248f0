-- Domains: defaults, NOT NULL (named and unnamed), CHECK constraints, collation, a domain over a domain.
CREATE FUNCTION is_valid_code(code text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT code ~ '^[A-Z]{3}$' $$;

CREATE DOMAIN positive_int AS integer
    CONSTRAINT positive_int_check CHECK (VALUE > 0);

CREATE DOMAIN email AS text COLLATE "C"
    NOT NULL
    CONSTRAINT email_format CHECK (VALUE ~ '@')
    CONSTRAINT email_length CHECK (length(VALUE) < 255);

CREATE DOMAIN code AS character varying(3)
    DEFAULT 'AAA'
    CONSTRAINT code_valid CHECK (is_valid_code(VALUE::text));

CREATE DOMAIN small_positive AS positive_int
    CONSTRAINT small_positive_nn NOT NULL
    CONSTRAINT small_positive_check CHECK (VALUE < 100);

CREATE TABLE contacts (
    id positive_int,
    mail email,
    country code
);

ALTER DOMAIN positive_int ADD CONSTRAINT positive_int_max CHECK (VALUE < 1000000) NOT VALID;

-- Domains over types with a typmod, read through expressions: the catalog casts to the base
-- type without it ((code)::text, (amount)::numeric) in checks, generated columns, views, indexes.
CREATE DOMAIN short_code AS varchar(20);
CREATE DOMAIN money_amount AS numeric(12,2);
CREATE TABLE ledger_lines (
    code short_code,
    amount money_amount,
    doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
    CONSTRAINT ledger_lines_code_check CHECK (length(code) > 1)
);
CREATE INDEX ledger_lines_rounded ON ledger_lines ((round(amount)));
CREATE VIEW ledger_totals AS SELECT sum(amount) AS total FROM ledger_lines;
