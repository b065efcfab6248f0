-- Standalone sequences with every option, and OWNED BY.
CREATE SEQUENCE plain_seq;

CREATE SEQUENCE custom_seq
    AS integer
    START WITH 1000
    INCREMENT BY 5
    MINVALUE 10
    MAXVALUE 100000
    CACHE 20
    CYCLE;

CREATE SEQUENCE countdown_seq
    INCREMENT BY -1;

CREATE TABLE tickets (
    id integer NOT NULL,
    code text
);

CREATE SEQUENCE tickets_id_seq AS integer OWNED BY tickets.id;
ALTER TABLE tickets ALTER COLUMN id SET DEFAULT nextval('tickets_id_seq'::regclass);

COMMENT ON SEQUENCE custom_seq IS 'Custom numbering';
