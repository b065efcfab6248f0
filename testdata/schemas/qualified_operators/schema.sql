-- Operators spelled OPERATOR(schema.op), as pg_dump writes them: the catalog prints them bare.
CREATE TABLE handles (
    id integer PRIMARY KEY,
    name text NOT NULL,
    CONSTRAINT handles_name_check CHECK ((name OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'::text))
);

CREATE INDEX handles_active ON handles (name) WHERE (name OPERATOR(pg_catalog.<>) 'deleted'::text);

CREATE VIEW short_handles AS
    SELECT id, name FROM handles WHERE (length(name) OPERATOR(pg_catalog.<) 8);
