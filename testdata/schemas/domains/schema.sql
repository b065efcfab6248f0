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
